-- Segments and the plan builder per manager for plan month $month (SPEC "Client segments and the
-- plan builder"), from the clients of segments_clients.sql (kept as segmented_clients) and the
-- plan rows of the client store (reports/clients.py):
--   regular_plan = the regular clients' net turnover over the four months / 4;
--   avg_month    = all net turnover of the manager's clients over the four months / 4 (by 4 also
--                  when the manager worked fewer months);
--   oneoff_plan  = $share × max(0, avg_month - regular_plan);
--   plan         = the manager's set plan for M (plan rows with that manager), NULL without one;
--   active_gap   = plan - regular_plan - oneoff_plan, what active sales must bring.
-- Each figure is rounded to the kopeck before the next uses it, so the printed figures add up.
-- Listed: managers with a regular or one-off client, turnover in the window, or a plan for M.
-- $no_manager labels the clients and plan rows without a manager (segmented_clients has them so).
with segmented as (
    select manager, segment, window_turnover as turnover from segmented_clients
),

plan as (
    select coalesce(manager, $no_manager) as manager, plan_amount from plan_rows where month = $month
),

-- clients and plan rows in one stream, so that every manager of either appears once
figures as (
    select manager, segment, turnover, null::decimal(18, 2) as plan_amount from segmented
    union all
    select manager, null as segment, 0 as turnover, plan_amount from plan
),

by_manager as (
    select
        manager,
        count(*) filter (where segment = 'regular') as regular_clients,
        count(*) filter (where segment = 'oneoff') as oneoff_clients,
        count(*) filter (where segment = 'new') as new_clients,
        count(*) filter (where segment = 'lapsing') as lapsing_clients,
        coalesce(sum(turnover) filter (where segment = 'regular'), 0) as regular_turnover,
        coalesce(sum(turnover) filter (where segment = 'oneoff'), 0) as oneoff_turnover,
        coalesce(sum(turnover), 0) as window_turnover,
        sum(plan_amount) as plan
    from figures
    group by manager
    having count(*) filter (where segment in ('regular', 'oneoff')) > 0
        or coalesce(sum(turnover), 0) <> 0
        or count(plan_amount) > 0
),

planned as (
    select
        *,
        round(regular_turnover * 0.25, 2)::decimal(18, 2) as regular_plan,
        round(window_turnover * 0.25, 2)::decimal(18, 2) as avg_month
    from by_manager
),

with_oneoff as (
    select *, round($share * greatest(0, avg_month - regular_plan), 2)::decimal(18, 2) as oneoff_plan
    from planned
),

final as (
    select
        manager,
        regular_clients,
        oneoff_clients,
        regular_plan,
        oneoff_plan,
        avg_month,
        plan,
        plan - regular_plan - oneoff_plan as active_gap,
        new_clients,
        lapsing_clients,
        regular_turnover,
        oneoff_turnover,
        window_turnover
    from with_oneoff
    order by manager = $no_manager, manager
)

select * from final
