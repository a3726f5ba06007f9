-- The plan rows the client store copies (the plan builder sets each manager's plan against history).
with plan as (
    select month, department, manager, plan_amount from current_plan
),

final as (
    select * from plan
)

select * from final
