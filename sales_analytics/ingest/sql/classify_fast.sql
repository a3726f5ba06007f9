-- Row classification when no row of the file is a group heading (the common, clean file): the
-- candidate rows that are not data are left out, every other row is data, and the headings are
-- what classify_rows.sql gives without a label: the sheet's manager where the file has none.
CREATE OR REPLACE TEMP TABLE sa_headings AS
select
    sheet_index,
    rec,
    is_subtotal,
    is_label,
    is_data
from sa_candidates
where nonempty > 0;

CREATE OR REPLACE TEMP TABLE sa_not_data AS
select sheet_index, rec from sa_candidates where not is_data;

CREATE OR REPLACE TEMP VIEW sa_classified AS
select
    m.*,
    false as is_subtotal,
    false as is_label,
    true as is_data,
    case when m.manager_missing then s.sheet_manager end as heading_manager,
    null::varchar as heading_department,
    s.sheet
from sa_mapped as m
anti join sa_not_data as n using (sheet_index, rec)
join sa_sheets as s using (sheet_index);
