-- Every row under a header is one of: blank, subtotal (never data), label (a group heading or a
-- note: one text cell), note (a few cells, nothing that reads as a figure), or data.
-- Group headings fill the manager / department the file lacks; an outer heading (one directly
-- followed by another heading) fills the department when both are missing.
-- The windows run on a narrow projection (sheet, record, flags) and join back: carrying every
-- text column through each sort costs more than the join.
CREATE OR REPLACE TEMP TABLE sa_classified AS
with mapped as (
    select * from sa_mapped
),

flags as (
    select
        sheet_index,
        rec,
        first_text,
        nonempty > 0 and sa_is_subtotal(first_text) as is_subtotal,
        case
            when nonempty = 1
                then not sa_is_subtotal(first_text)
                     and sa_money(first_text) is null
                     and sa_date(first_text) is null
            else false
        end as is_label
    from mapped
    where nonempty > 0
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
        sheet_index,
        rec,
        is_subtotal,
        is_label,
        is_outer_label,
        max(case when is_label and not is_outer_label then first_text end)
            over (partition by sheet_index, inner_segment) as inner_heading,
        max(case when is_outer_label then first_text end)
            over (partition by sheet_index, outer_segment) as outer_heading,
        bool_or(is_outer_label) over (partition by sheet_index) as has_outer
    from segments
),

final as (
    select
        m.*,
        h.is_subtotal,
        h.is_label,
        h.inner_heading,
        h.outer_heading,
        case
            when not m.manager_missing then null
            when m.department_missing and m.is_plan and not h.has_outer then m.sheet_manager
            else coalesce(h.inner_heading, m.sheet_manager)
        end as heading_manager,
        case
            when not m.department_missing then null
            when m.manager_missing and (h.has_outer or not m.is_plan) then h.outer_heading
            else h.inner_heading
        end as heading_department,
        not h.is_subtotal and not h.is_label and (m.key_ok or m.nonempty > 2) as is_data
    from mapped as m
    join headings as h using (sheet_index, rec)
)

select * from final
