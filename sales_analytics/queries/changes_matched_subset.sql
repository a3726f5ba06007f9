-- changes_matched (changes_matched.sql) for the consecutive snapshots $snapshots, taken from the
-- matching of every consecutive pair of the data version (changes_matched_all, kept by
-- reports/changes.py): the same rows, since each pair is matched on its own. pair_no counts the
-- pairs from the first of $snapshots, as changes_matched.sql numbers them.
create or replace temp table changes_matched as
with all_pairs as (
    select * from changes_matched_all
),

final as (
    select * replace (list_position($snapshots::date[], date_a)::bigint as pair_no)
    from all_pairs
    where date_a >= $first and date_b <= $last
)

select * from final
