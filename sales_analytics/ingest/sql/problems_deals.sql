-- Located problems of staged deal rows: one row per (row, field).
with staged as (
    select * from sa_staged
),

problems as (
    select sheet_index, row_no, 'client' as field, client_raw as value, 'empty_required' as code
    from staged where client_name is null or client_key = ''
    union all
    select sheet_index, row_no, 'amount', amount_raw,
           case when sa_text(amount_raw) is null then 'empty_required' else 'not_a_number' end
    from staged where amount is null
    union all
    select sheet_index, row_no, 'expected_month', expected_month_raw, 'not_a_month'
    from staged where expected_month is null and not month_missing
    union all
    select sheet_index, row_no, 'probability', probability_raw, 'not_a_probability'
    from staged where sa_text(probability_raw) is not null
        and (sa_probability(probability_raw) is null or probability < 0 or probability > 1)
    union all
    select sheet_index, row_no, 'margin', margin_raw, 'not_a_number'
    from staged where margin is null and sa_text(margin_raw) is not null
),

final as (
    select * from problems order by sheet_index, row_no, field
)

select * from final
