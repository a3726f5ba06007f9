-- Sales rows, typed. Amount = price × quantity where the file has no amount column.
-- Only the typed values are kept (the raw cells stay in the sheet tables); ``suspect`` marks the few
-- rows problems_sales.sql must look at again with their raw cells.
CREATE OR REPLACE TABLE sa_staged AS
-- (not materialized: scanning the rows twice costs less than copying them)
with data_rows as not materialized (
    select * from sa_classified where is_data
),

-- a client's name and key are worked out once per spelling, not once per row
clients as (
    select client_raw, sa_text(client_raw) as client_name, sa_client_key(client_raw) as client_key
    from (select distinct client_raw from data_rows)
),

typed as (
    select
        sheet_index,
        rec,
        row_no,
        sa_date_cell(date_raw) as sale_date,
        clients.client_name,
        clients.client_key,
        coalesce(sa_text(manager_raw), sa_text(heading_manager)) as manager,
        coalesce(sa_text(department_raw), sa_text(heading_department)) as department,
        coalesce(
            sa_money_cell(amount_raw),
            case when amount_raw is null
                 then cast(sa_quantity(price_raw) * sa_quantity(quantity_raw) as decimal(18, 2)) end
        ) as amount,
        sa_money_cell(margin_raw) as margin,
        sa_text(product_raw) as product,
        sa_text(document_raw) as document,
        amount_raw is null and price_raw is not null as amount_from_price,
        margin_raw is not null as has_margin
    from data_rows
    left join clients using (client_raw)
),

final as (
    select
        * exclude (has_margin),
        sale_date is null or client_name is null or client_key = '' or amount is null
        or (margin is null and has_margin) as suspect
    from typed
)

select * from final;
