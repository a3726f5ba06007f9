-- One segment's clients ($segment; NULL: every segment) of one manager ($manager, as labelled;
-- NULL: every manager), from the clients of segments_clients.sql (kept as segmented_clients): by
-- manager ("no manager" last), segment, then the largest four-month turnover and the latest
-- purchase first.
with clients as (
    select * from segmented_clients
    where ($segment is null or segment = $segment)
      and ($manager is null or manager = $manager)
),

final as (
    select *
    from clients
    order by
        manager = $no_manager,
        manager,
        list_position(['regular', 'oneoff', 'new', 'lapsing'], segment),
        window_turnover desc,
        last_purchase desc nulls last,
        client
)

select * from final
