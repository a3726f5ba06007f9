-- Per live batch, what the data quality panel counts: rows rejected (imported with "skip invalid
-- rows"), rows that were not data (subtotals, group headings, notes), deals with no probability
-- (counted as 100 %), with no expected month, or with a status word the importer did not know
-- (counted as open), clients of the batch written several ways, and managers of its forecast who
-- have no sales. A batch's counts cover all its rows, also those a later upload replaced.
with batches as (
    select batch_id, kind, file_name, snapshot_date, imported_at, row_count, skipped_count, warnings
    from import_batches
    where deleted_at is null
),

left_out as (
    select batch_id, sum((warnings ->> code)::integer) as left_out
    from (select batch_id, warnings, unnest(json_keys(warnings)) as code from batches)
    where code in ('subtotal_rows', 'group_rows', 'note_rows')
    group by batch_id
),

deal_flags as (
    select
        batch_id,
        count(*) filter (where probability_missing) as probability_missing,
        count(*) filter (where expected_month is null) as month_missing,
        count(*) filter (where status_unknown) as status_unknown
    from deals
    group by batch_id
),

-- the spellings the client list is built from (ingest/store.py refresh_derived)
spellings as (
    select client_key, client_name from current_sales
    union all
    select client_key, client_name from deals where superseded_by is null
),

respelled as (
    select client_key from spellings group by client_key having count(distinct client_name) > 1
),

batch_clients as (
    select distinct batch_id, client_key from sales
    union
    select distinct batch_id, client_key from deals
),

client_spellings as (
    select batch_id, count(*) as client_spellings
    from batch_clients semi join respelled using (client_key)
    group by batch_id
),

sellers as (
    select distinct manager from current_sales where manager is not null
),

managers_without_sales as (
    select batch_id, count(distinct manager) as managers_without_sales
    from deals anti join sellers using (manager)
    where manager is not null
    group by batch_id
),

final as (
    select
        b.batch_id,
        b.file_name,
        b.kind,
        b.snapshot_date,
        b.imported_at,
        b.row_count as rows,
        b.skipped_count as skipped,
        coalesce(l.left_out, 0) as left_out,
        coalesce(d.probability_missing, 0) as probability_missing,
        coalesce(d.month_missing, 0) as month_missing,
        coalesce(d.status_unknown, 0) as status_unknown,
        coalesce(c.client_spellings, 0) as client_spellings,
        coalesce(m.managers_without_sales, 0) as managers_without_sales
    from batches as b
    left join left_out as l using (batch_id)
    left join deal_flags as d using (batch_id)
    left join client_spellings as c using (batch_id)
    left join managers_without_sales as m using (batch_id)
    order by b.batch_id desc
)

select * from final
