-- The rows that may be something other than plain data, each classified as classify_rows.sql would.
-- Every other row (sa_mapped.is_candidate false) holds at least three cells and does not start like a
-- subtotal, so it is data: it can be neither a subtotal, nor a label, nor a note. Only these few rows
-- are looked at one by one; when none of them is a label, no window over the whole file is needed.
CREATE OR REPLACE TEMP TABLE sa_candidates AS
with mapped as (
    select sheet_index, rec, nonempty, first_text, key_ok, manager_missing, department_missing, is_plan
    from sa_mapped
    where is_candidate
),

flags as (
    select
        *,
        sa_is_subtotal(first_text) as is_subtotal,
        case
            when nonempty = 1
                then not sa_is_subtotal(first_text)
                     and sa_money(first_text) is null
                     and sa_date(first_text) is null
            else false
        end as is_label
    from mapped
),

final as (
    select
        *,
        nonempty > 0 and not is_subtotal and not is_label and (key_ok or nonempty > 2) as is_data
    from flags
)

select * from final;
