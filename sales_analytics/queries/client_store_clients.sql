-- The clients the client store copies: key and the name shown (the most frequent spelling).
with clients as (
    select client_key, display_name from clients
),

final as (
    select * from clients
)

select * from final
