-- Every batch still in the database, newest first.
with batches as (
    select * from import_batches where deleted_at is null
),

final as (
    select
        batch_id,
        kind,
        file_name,
        imported_at,
        snapshot_date,
        period_from,
        period_to,
        row_count,
        skipped_count,
        amount_total,
        margin_total,
        array_to_string(sheets, ', ') as sheets,
        is_demo,
        uploaded_by,
        sha256
    from batches
    order by batch_id desc
)

select * from final
