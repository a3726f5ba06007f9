-- The deal rows behind one quality count ($check: probability_missing, month_missing or
-- status_unknown) of one batch or all (NULL), with where they came from and, when a later upload
-- replaced them, that batch.
with flagged as (
    select *
    from deals
    where ($batch_id is null or batch_id = $batch_id)
      and case $check
          when 'probability_missing' then probability_missing
          when 'month_missing' then expected_month is null
          when 'status_unknown' then status_unknown
          else false
      end
),

final as (
    select
        f.batch_id,
        b.file_name,
        f.snapshot_date,
        f.source_sheet,
        f.source_row,
        f.client_name as client,
        f.manager,
        coalesce(f.department, m.department) as department,
        f.product,
        f.amount,
        f.expected_month,
        f.probability,
        f.status_text,
        f.superseded_by as replaced_by
    from flagged as f
    join import_batches as b using (batch_id)
    left join manager_departments as m using (manager)
    order by f.batch_id desc, f.source_sheet, f.source_row
)

select * from final
