-- Each client's owner in the forecasts: the manager and department of its deal in the latest
-- snapshot (the later row breaks a tie; a missing manager stays missing). The segments give a
-- client that never bought to this manager.
with deals as (
    select client_key, manager, department, snapshot_date, batch_id, source_row from current_deals
),

final as (
    select
        client_key,
        arg_max_null(manager, (snapshot_date, batch_id, source_row)) as manager,
        arg_max_null(department, (snapshot_date, batch_id, source_row)) as department
    from deals
    group by client_key
)

select * from final
