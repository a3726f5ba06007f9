-- The deal matching between consecutive snapshots, shared by the changes and slip queries: it fills
-- the temporary table changes_matched of this cursor, which reports/changes.py reads into Arrow (and
-- drops), keeps per data version and hands to those queries under the same name.
--
-- For each pair of consecutive dates in $snapshots (A = the earlier, B = the later; pair_no 1 is the
-- first two dates), one row per deal of A and per deal of B, the two sides of a matched deal on one
-- row, with its value (amount, or margin with a missing margin as 0; $measure: amount | margin) and
-- its weighted value (value x probability, rounded to the kopeck) on each side.
--
-- Matching, per pair:
-- 1. by deal id where both snapshots carry one. An id that several deals of one snapshot carry (two
--    managers numbering from 1) is read together with the deal's manager;
-- 2. the deals left over by (client key, manager, product text as the importer cleaned it: white
--    space collapsed), never pairing two deals that carry different ids (two different deals).
-- Deals sharing a key pair up in order of expected month, value and position in the file.
-- Ranks are per snapshot, so each deal row is ranked once, whatever pairs it is part of.
create or replace temp table changes_matched as
with deals as materialized (
    select
        snapshot_date, batch_id, source_sheet, source_row, nullif(trim(deal_id), '') as deal_id,
        client_key, client_name, manager, department, product, amount, margin, expected_month,
        probability, status
    from current_deals
    where snapshot_date in (select unnest($snapshots::date[]))
),

-- a date's position in the list: pairs are (k, k + 1); a date listed twice compares it with itself
positions as (
    select unnest($snapshots::date[]) as snapshot_date, unnest(generate_series(1, len($snapshots::date[]))) as k
),

deal_rows as materialized (
    select
        row_number() over () as ref,
        p.k,
        d.*,
        case $measure when 'margin' then coalesce(d.margin, 0::decimal(18, 2)) else d.amount end as value,
        round(value * d.probability, 2) as weighted,
        coalesce(d.manager, '') as manager_key,
        coalesce(d.product, '') as product_key
    from deals as d
    join positions as p using (snapshot_date)
),

-- Ranks inside a key only matter where a snapshot holds the key more than once, which is rare: the
-- counts come from a hash aggregate and only the repeated keys are sorted.
id_counts as (
    select k, deal_id, count(*) as deals
    from deal_rows
    where deal_id is not null
    group by all
),

id_keyed as (
    select
        r.ref, r.k, r.expected_month, r.value, r.batch_id, r.source_sheet, r.source_row,
        case when c.deals = 1 then r.deal_id else r.deal_id || chr(31) || coalesce(r.manager, '') end as id_key
    from deal_rows as r
    join id_counts as c using (k, deal_id)
),

id_key_counts as (
    select k, id_key, count(*) as deals from id_keyed group by all
),

id_ranked as (
    select i.ref, i.k, i.id_key, 1 as id_rank
    from id_keyed as i
    join id_key_counts as c using (k, id_key)
    where c.deals = 1
    union all
    select
        i.ref, i.k, i.id_key,
        row_number() over (
            partition by i.k, i.id_key
            order by i.expected_month nulls last, i.value, i.batch_id, i.source_sheet, i.source_row
        ) as id_rank
    from id_keyed as i
    join id_key_counts as c using (k, id_key)
    where c.deals > 1
),

id_links as (
    select a.ref as ref_a, b.ref as ref_b
    from id_ranked as a
    join id_ranked as b on b.k = a.k + 1 and b.id_key = a.id_key and b.id_rank = a.id_rank
),

-- after the id matching: which rows are still free to match as A (no successor) and as B (no
-- predecessor), ranked among the free rows of their key
free_rows as (
    select
        r.ref, r.k, r.client_key, r.manager_key, r.product_key, r.deal_id,
        sa.ref_a is null as free_as_a,
        sb.ref_b is null as free_as_b,
        r.expected_month, r.value, r.batch_id, r.source_sheet, r.source_row
    from deal_rows as r
    left join id_links as sa on sa.ref_a = r.ref
    left join id_links as sb on sb.ref_b = r.ref
    where sa.ref_a is null or sb.ref_b is null
),

free_a as (
    select * from free_rows where free_as_a
),

free_b as (
    select * from free_rows where free_as_b
),

free_a_counts as (
    select k, client_key, manager_key, product_key, count(*) as deals from free_a group by all
),

free_b_counts as (
    select k, client_key, manager_key, product_key, count(*) as deals from free_b group by all
),

key_ranked_a as (
    select f.ref, f.k, f.client_key, f.manager_key, f.product_key, f.deal_id, 1 as key_rank
    from free_a as f
    join free_a_counts as c using (k, client_key, manager_key, product_key)
    where c.deals = 1
    union all
    select
        f.ref, f.k, f.client_key, f.manager_key, f.product_key, f.deal_id,
        row_number() over (
            partition by f.k, f.client_key, f.manager_key, f.product_key
            order by f.expected_month nulls last, f.value, f.batch_id, f.source_sheet, f.source_row
        ) as key_rank
    from free_a as f
    join free_a_counts as c using (k, client_key, manager_key, product_key)
    where c.deals > 1
),

key_ranked_b as (
    select f.ref, f.k, f.client_key, f.manager_key, f.product_key, f.deal_id, 1 as key_rank
    from free_b as f
    join free_b_counts as c using (k, client_key, manager_key, product_key)
    where c.deals = 1
    union all
    select
        f.ref, f.k, f.client_key, f.manager_key, f.product_key, f.deal_id,
        row_number() over (
            partition by f.k, f.client_key, f.manager_key, f.product_key
            order by f.expected_month nulls last, f.value, f.batch_id, f.source_sheet, f.source_row
        ) as key_rank
    from free_b as f
    join free_b_counts as c using (k, client_key, manager_key, product_key)
    where c.deals > 1
),

key_links as (
    select a.ref as ref_a, b.ref as ref_b
    from key_ranked_a as a
    join key_ranked_b as b
        on b.k = a.k + 1 and b.client_key = a.client_key and b.manager_key = a.manager_key
        and b.product_key = a.product_key and b.key_rank = a.key_rank
    -- two different ids are two different deals, whatever else they share
    where a.deal_id is null or b.deal_id is null or a.deal_id = b.deal_id
),

links as (
    select * from id_links
    union all
    select * from key_links
),

a_side as (
    select r.*, l.ref_b
    from deal_rows as r
    left join links as l on l.ref_a = r.ref
    where r.k < len($snapshots::date[])
),

b_side as (
    select * from deal_rows where k > 1
),

final as (
    select
        coalesce(a.k, b.k - 1) as pair_no,
        ($snapshots::date[])[coalesce(a.k, b.k - 1)] as date_a,
        ($snapshots::date[])[coalesce(a.k, b.k - 1) + 1] as date_b,
        a.ref as ref_a, b.ref as ref_b,
        a.deal_id as deal_id_a, b.deal_id as deal_id_b,
        a.client_key as client_key_a, b.client_key as client_key_b,
        a.client_name as client_name_a, b.client_name as client_name_b,
        a.manager as manager_a, b.manager as manager_b,
        a.department as department_a, b.department as department_b,
        a.product as product_a, b.product as product_b,
        a.expected_month as month_a, b.expected_month as month_b,
        a.value as value_a, b.value as value_b,
        a.probability as probability_a, b.probability as probability_b,
        a.weighted as weighted_a, b.weighted as weighted_b,
        a.status as status_a, b.status as status_b
    from a_side as a
    full outer join b_side as b on b.ref = a.ref_b
)

select * from final
