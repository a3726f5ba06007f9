-- Deal rows, typed. A missing probability counts as 100 % (reported); a probability written in
-- the stage ("Переговоры 50%") is used when the probability column is empty.
CREATE OR REPLACE TABLE sa_staged AS
with data_rows as (
    select * from sa_classified where is_data
),

-- a client's name and key are worked out once per spelling, not once per row
clients as (
    select client_raw, sa_text(client_raw) as client_name, sa_client_key(client_raw) as client_key
    from (select distinct client_raw from sa_classified where is_data)
),

parsed as (
    select
        *,
        sa_probability(probability_raw) as probability_given,
        sa_probability(regexp_extract(stage_raw, '(\d+(?:[.,]\d+)?\s*%)', 1)) as probability_from_stage,
        sa_status(status_raw) as status_known
    from data_rows
),

final as (
    select
        sheet_index,
        sheet,
        row_no,
        sa_text(deal_id_raw) as deal_id,
        clients.client_name,
        clients.client_key,
        coalesce(sa_text(manager_raw), sa_text(heading_manager)) as manager,
        coalesce(sa_text(department_raw), sa_text(heading_department)) as department,
        sa_text(product_raw) as product,
        sa_money_fast(amount_raw) as amount,
        sa_money_fast(margin_raw) as margin,
        sa_month(expected_month_raw, null) as expected_month,
        coalesce(probability_given, probability_from_stage, 1.0) as probability,
        probability_given is null and probability_from_stage is null as probability_missing,
        sa_text(stage_raw) as stage,
        coalesce(status_known, 'open') as status,
        sa_text(status_raw) as status_text,
        status_known is null as status_unknown,
        sa_text(expected_month_raw) is null as month_missing,
        client_raw,
        amount_raw,
        margin_raw,
        expected_month_raw,
        probability_raw
    from parsed
    left join clients using (client_raw)
)

select * from final;

-- The few cells the cheap cast could not read go through the full parser.
UPDATE sa_staged SET amount = sa_money(amount_raw) WHERE amount IS NULL AND amount_raw IS NOT NULL;
UPDATE sa_staged SET margin = sa_money(margin_raw) WHERE margin IS NULL AND margin_raw IS NOT NULL;
