-- Rows and sheets an import did not read as data, per batch and reason: subtotal rows, group
-- headings (they fill the manager or department of the rows below), notes, hidden sheets and
-- sheets without a header. Only the counts are recorded, not the rows. One batch or all (NULL).
with batches as (
    select batch_id, file_name, warnings
    from import_batches
    where deleted_at is null and ($batch_id is null or batch_id = $batch_id)
),

warnings as (
    select batch_id, file_name, warnings, unnest(json_keys(warnings)) as code from batches
),

final as (
    select batch_id, file_name, code, (warnings ->> code)::integer as count
    from warnings
    where code in ('subtotal_rows', 'group_rows', 'note_rows', 'sheet_hidden', 'sheet_no_header')
    order by batch_id desc, code
)

select * from final
