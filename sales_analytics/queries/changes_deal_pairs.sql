-- Forecast changes from snapshot A to snapshot B (SPEC.md "Forecast changes"): one row per open deal
-- of A and per deal of B, each in exactly one category, with its effect on the window's weighted total.
-- Reads changes_matched: the rows of changes_matched.sql for the pair (registered by
-- reports/changes.py).
--
-- A deal's window value: its weighted value when it is open and expected in the window, else 0.
-- effect = window value in B - window value in A, for every category, so the effects of the deals
-- always add up to end - start exactly.
--
-- changes_matched holds the one pair A -> B (A may equal B: then nothing changed);
-- $window_from / $window_to: the window's first and last month.
with matched as (
    select * from changes_matched
),

clients as (
    select client_key, display_name from clients
),

placed as (
    select
        *,
        status_a = 'open' as a_open,
        coalesce(status_a = 'open' and month_a between $window_from and $window_to, false) as a_in,
        coalesce(status_b = 'open' and month_b between $window_from and $window_to, false) as b_in,
        -- the two parts of a change of weighted value (SPEC's table): the amount at A's probability,
        -- then the probability at B's amount; together value_b x prob_b - value_a x prob_a
        (value_b - value_a) * probability_a as amount_part,
        value_b * (probability_b - probability_a) as probability_part
    from matched
    -- a deal already closed in A that is gone from B is no part of either snapshot's forecast
    where status_a = 'open' or ref_b is not null
),

categorised as (
    select
        *,
        case when a_in then weighted_a else 0 end as start_part,
        case when b_in then weighted_b else 0 end as end_part,
        case
            when a_in and b_in then
                case
                    -- both changed: the deal goes under the part that moved its value more; the sign
                    -- of its whole change is then the sign of that part (or zero)
                    when value_a <> value_b and abs(amount_part) >= abs(probability_part) then
                        case when amount_part > 0 or (amount_part = 0 and value_b > value_a)
                            then 'amount_up' else 'amount_down' end
                    when probability_a <> probability_b then
                        case when probability_part > 0 or (probability_part = 0 and probability_b > probability_a)
                            then 'probability_up' else 'probability_down' end
                    when month_a <> month_b then 'rescheduled'
                    else 'unchanged'
                end
            when a_in and ref_b is null then 'removed'
            when a_in and status_b = 'won' then 'won'
            when a_in and status_b = 'lost' then 'lost'
            when a_in then 'moved_out'
            when b_in and a_open then 'moved_in'
            when b_in then 'new'
            -- outside the window in both: no effect; listed when something changed
            when ref_a is null or ref_b is null
                or status_a <> status_b
                or month_a is distinct from month_b
                or value_a <> value_b
                or probability_a <> probability_b then 'outside'
            else 'unchanged'
        end as category
    from placed
),

final as (
    select
        c.category,
        c.a_in as in_window_from,
        c.b_in as in_window_to,
        (c.end_part - c.start_part)::decimal(38, 2) as effect,
        c.start_part::decimal(38, 2) as start_part,
        c.end_part::decimal(38, 2) as end_part,
        coalesce(c.deal_id_b, c.deal_id_a) as deal_id,
        c.deal_id_a as deal_id_from,
        c.deal_id_b as deal_id_to,
        coalesce(cl.display_name, c.client_name_b, c.client_name_a) as client,
        case when c.ref_b is not null then c.manager_b else c.manager_a end as manager,
        case when c.ref_b is not null then c.department_b else c.department_a end as department,
        case when c.ref_b is not null then c.product_b else c.product_a end as product,
        c.month_a as month_from,
        c.month_b as month_to,
        c.value_a as amount_from,
        c.value_b as amount_to,
        c.probability_a as probability_from,
        c.probability_b as probability_to,
        c.weighted_a::decimal(38, 2) as weighted_from,
        c.weighted_b::decimal(38, 2) as weighted_to,
        c.status_a as status_from,
        c.status_b as status_to
    from categorised as c
    left join clients as cl on cl.client_key = coalesce(c.client_key_b, c.client_key_a)
    order by
        list_position(
            ['new', 'moved_in', 'amount_up', 'amount_down', 'probability_up', 'probability_down',
             'moved_out', 'won', 'lost', 'removed', 'rescheduled', 'outside', 'unchanged'],
            c.category
        ),
        abs(effect) desc,
        client,
        product
)

select * from final
