-- Sales rows, typed. Amount = price × quantity where the file has no amount column.
CREATE OR REPLACE TEMP TABLE sa_staged AS
with data_rows as (
    select * from sa_classified where is_data
),

-- a client's name and key are worked out once per spelling, not once per row
clients as (
    select client_raw, sa_text(client_raw) as client_name, sa_client_key(client_raw) as client_key
    from (select distinct client_raw from sa_classified where is_data)
),

dates as (
    select date_raw, sa_date(date_raw) as sale_date
    from (select distinct date_raw from sa_classified where is_data)
),

final as (
    select
        sheet_index,
        sheet,
        row_no,
        dates.sale_date,
        clients.client_name,
        clients.client_key,
        coalesce(sa_text(manager_raw), sa_text(heading_manager)) as manager,
        coalesce(sa_text(department_raw), sa_text(heading_department)) as department,
        coalesce(
            sa_money_fast(amount_raw),
            case when amount_raw is null
                 then cast(sa_quantity(price_raw) * sa_quantity(quantity_raw) as decimal(18, 2)) end
        ) as amount,
        sa_money_fast(margin_raw) as margin,
        sa_text(product_raw) as product,
        sa_text(document_raw) as document,
        amount_raw is null and price_raw is not null as amount_from_price,
        date_raw,
        client_raw,
        amount_raw,
        margin_raw,
        price_raw,
        quantity_raw
    from data_rows
    left join clients using (client_raw)
    left join dates using (date_raw)
)

select * from final;

-- The few cells the cheap cast could not read go through the full parser.
UPDATE sa_staged SET amount = sa_money(amount_raw) WHERE amount IS NULL AND amount_raw IS NOT NULL;
UPDATE sa_staged SET margin = sa_money(margin_raw) WHERE margin IS NULL AND margin_raw IS NOT NULL;
