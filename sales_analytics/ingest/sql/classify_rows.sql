-- Every row under a header is one of: blank, subtotal (never data), label (a group heading or a
-- note: one text cell), note (a few cells, nothing that reads as a figure), or data.
-- Group headings fill the manager / department the file lacks; an outer heading (one directly
-- followed by another heading) fills the department when both are missing.
-- Only this narrow table (sheet, record, what the row is, its headings) is materialised; the
-- windows never carry the text columns, and sa_classified joins the two back as a view.
CREATE OR REPLACE TEMP TABLE sa_headings AS
with mapped as (
    select sheet_index, rec, nonempty, first_text, key_ok, manager_missing, department_missing, is_plan
    from sa_mapped
    where nonempty > 0
),

flags as (
    select
        *,
        sa_is_subtotal(first_text) as is_subtotal,
        case
            when nonempty = 1
                then not sa_is_subtotal(first_text)
                     and sa_money(first_text) is null
                     and sa_date(first_text) is null
            else false
        end as is_label
    from mapped
),

outer_labels as (
    select
        *,
        is_label and coalesce(lead(is_label) over (partition by sheet_index order by rec), false) as is_outer_label
    from flags
),

segments as (
    -- a running count of headings numbers the stretch of rows each heading rules
    select
        *,
        count(case when is_label and not is_outer_label then 1 end)
            over (partition by sheet_index order by rec rows between unbounded preceding and current row)
            as inner_segment,
        count(case when is_outer_label then 1 end)
            over (partition by sheet_index order by rec rows between unbounded preceding and current row)
            as outer_segment
    from outer_labels
),

headings as (
    select
        *,
        max(case when is_label and not is_outer_label then first_text end)
            over (partition by sheet_index, inner_segment) as inner_heading,
        max(case when is_outer_label then first_text end)
            over (partition by sheet_index, outer_segment) as outer_heading,
        bool_or(is_outer_label) over (partition by sheet_index) as has_outer
    from segments
),

final as (
    select
        h.sheet_index,
        h.rec,
        h.is_subtotal,
        h.is_label,
        not h.is_subtotal and not h.is_label and (h.key_ok or h.nonempty > 2) as is_data,
        case
            when not h.manager_missing then null
            when h.department_missing and h.is_plan and not h.has_outer then s.sheet_manager
            else coalesce(h.inner_heading, s.sheet_manager)
        end as heading_manager,
        case
            when not h.department_missing then null
            when h.manager_missing and (h.has_outer or not h.is_plan) then h.outer_heading
            else h.inner_heading
        end as heading_department
    from headings as h
    join sa_sheets as s using (sheet_index)
)

select * from final;

CREATE OR REPLACE TEMP VIEW sa_classified AS
select m.*, h.is_subtotal, h.is_label, h.is_data, h.heading_manager, h.heading_department, s.sheet
from sa_mapped as m
join sa_headings as h using (sheet_index, rec)
join sa_sheets as s using (sheet_index);
