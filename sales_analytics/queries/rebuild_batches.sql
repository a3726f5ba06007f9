-- The batches a rebuild re-imports, in their original order: every live one, with what it recorded
-- (kind, file, snapshot date, options, mapping) and the figures its re-import must give again.
with batches as (
    select * from import_batches where deleted_at is null
),

final as (
    select
        batch_id,
        kind,
        file_name,
        sha256,
        archive_path,
        snapshot_date,
        row_count,
        skipped_count,
        amount_total,
        margin_total,
        period_from,
        period_to,
        mapping,
        is_demo,
        uploaded_by
    from batches
    order by batch_id
)

select * from final
