-- The rows an import rejected and left out (imported with "skip invalid rows"), as each batch
-- recorded them: where (sheet, row, column), the cell's value and the reason's code. One batch
-- ($batch_id) or every live batch (NULL).
with batches as (
    select batch_id, file_name, skipped
    from import_batches
    where deleted_at is null and skipped_count > 0 and ($batch_id is null or batch_id = $batch_id)
),

problems as (
    select
        batch_id,
        file_name,
        unnest(from_json(
            skipped,
            '[{"sheet": "VARCHAR", "row": "INTEGER", "column": "VARCHAR", "value": "VARCHAR",
               "code": "VARCHAR", "detail": "VARCHAR"}]'
        )) as p
    from batches
),

final as (
    select batch_id, file_name, p.sheet, p.row, p.column, p.value, p.code, p.detail
    from problems
    order by batch_id desc, p.sheet, p.row, p.column
)

select * from final
