-- Located problems of staged plan rows: one row per (row, field).
with staged as (
    select * from sa_staged
),

problems as (
    select sheet_index, row_no, 'month' as field, month_raw as value,
           case when month_raw is null then 'no_year' else 'not_a_month' end as code,
           plan_column
    from staged where month is null
    union all
    select sheet_index, row_no, 'plan', plan_raw, 'not_a_number', plan_column
    from staged where plan_amount is null
    union all
    select sheet_index, row_no, 'department', null, 'empty_required', null
    from staged where department is null and manager is null
),

final as (
    select * from problems order by sheet_index, row_no, field
)

select * from final
