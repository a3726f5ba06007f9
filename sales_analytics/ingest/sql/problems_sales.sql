-- Located problems of staged sales rows: one row per (row, field). Only suspect rows are looked at,
-- with their raw cells joined back.
with staged as (
    select s.*, m.date_raw, m.client_raw, m.amount_raw, m.margin_raw
    from sa_staged as s
    join sa_mapped as m using (sheet_index, rec)
    where s.suspect
),

problems as (
    select sheet_index, row_no, 'date' as field, date_raw as value,
           case when sa_text(date_raw) is null then 'empty_required' else 'not_a_date' end as code
    from staged where sale_date is null
    union all
    select sheet_index, row_no, 'client', client_raw, 'empty_required'
    from staged where client_name is null or client_key = ''
    union all
    select sheet_index, row_no, 'amount', amount_raw,
           case when sa_text(amount_raw) is null and not amount_from_price then 'empty_required' else 'not_a_number' end
    from staged where amount is null
    union all
    select sheet_index, row_no, 'margin', margin_raw, 'not_a_number'
    from staged where margin is null and sa_text(margin_raw) is not null
),

final as (
    select * from problems order by sheet_index, row_no, field
)

select * from final
