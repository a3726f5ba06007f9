"""Качество данных: what the imports could not read or read with a default; each count opens its rows."""

import streamlit as st
from streamlit.errors import StreamlitAPIException

from sales_analytics import charts_plan, export, ui_cache
from sales_analytics.i18n import format_number, t
from sales_analytics.reports import quality

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCOPE, CHECK, TABLE = "quality_batch", "quality_check", "quality_batches_table"

lang = ui_cache.lang()
status = ui_cache.data_status()

st.title(t("quality.title", lang))

if status.is_empty:
    st.info(t("quality.empty", lang), icon=":material/upload_file:")
    try:
        st.page_link(
            "app_pages/upload.py", label=t("quality.go_upload", lang), icon=":material/arrow_forward:"
        )
    except StreamlitAPIException:  # the page run on its own, outside the app's navigation
        st.caption(t("quality.go_upload_hint", lang))
    st.stop()

st.caption(t("quality.intro", lang))
batches = ui_cache.report(quality.quality_batches, lang=lang)
files = dict(zip(batches["batch_id"].tolist(), batches["file_name"], strict=True))
ALL = 0  # the choice "every upload" (a batch id is never 0; None would show as no choice at all)
if st.session_state.get(SCOPE) not in (ALL, *files):
    st.session_state[SCOPE] = ALL


def pick_batch_from_table() -> None:
    rows = st.session_state[TABLE].selection.rows
    st.session_state[SCOPE] = int(batches["batch_id"].iloc[rows[0]]) if rows else ALL


batch_id = (
    st.selectbox(
        t("quality.scope_label", lang),
        [ALL, *files],
        format_func=lambda b: (
            t("quality.scope_all", lang, count=format_number(len(files), lang))
            if b == ALL
            else t("quality.scope_batch", lang, batch_id=b, file=files[b])
        ),
        key=SCOPE,
    )
    or None
)

counts = ui_cache.report(quality.quality_counts, batch_id=batch_id)
count_of = dict(zip(counts["check"], counts["count"], strict=True))
if st.session_state.get(CHECK) not in quality.CHECKS:
    st.session_state[CHECK] = next((c for c in quality.CHECKS if count_of[c]), quality.CHECKS[0])
check = st.pills(
    t("quality.counts_label", lang),
    quality.CHECKS,
    format_func=lambda c: f"{t(f'quality.check.{c}', lang)}: {format_number(count_of[c], lang)}",
    key=CHECK,
)

if check is not None:
    label = t(f"quality.check.{check}", lang)
    st.subheader(t("quality.rows_title", lang, check=label, count=format_number(count_of[check], lang)))
    st.caption(t(f"quality.help.{check}", lang))
    rows = ui_cache.report(quality.quality_rows, check=check, batch_id=batch_id, lang=lang)
    columns = quality.ROW_COLUMNS[check]
    if rows.empty:
        st.success(t("quality.no_rows", lang), icon=":material/check_circle:")
    else:
        st.dataframe(
            charts_plan.styled_table(rows, columns, "quality", lang),
            hide_index=True,
            width="stretch",
            key=f"quality_rows_{check}",
            placeholder="—",
        )
        if len(rows) > charts_plan.DISPLAY_ROWS:
            st.caption(
                t(
                    "quality.truncated",
                    lang,
                    shown=format_number(charts_plan.DISPLAY_ROWS, lang),
                    count=format_number(len(rows), lang),
                )
            )
        scope = t("quality.scope_batch", lang, batch_id=batch_id, file=files[batch_id]) if batch_id else ""
        title = " — ".join(part for part in (t("quality.title", lang), label, scope) if part)
        name = f"quality_{check}" + (f"_{batch_id}" if batch_id else "")
        downloads = st.container(horizontal=True)
        downloads.download_button(
            t("quality.download_xlsx", lang),
            lambda: export.to_xlsx(charts_plan.export_frame(rows, columns, "quality", lang), check, title),
            file_name=f"{name}.xlsx",
            mime=XLSX,
            icon=":material/download:",
            on_click="ignore",
            key="quality_xlsx",
        )
        downloads.download_button(
            t("quality.download_csv", lang),
            # with a BOM, so that Excel opens the Cyrillic as UTF-8
            lambda: export.to_csv(charts_plan.export_frame(rows, columns, "quality", lang)).encode(
                "utf-8-sig"
            ),
            file_name=f"{name}.csv",
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
            key="quality_csv",
        )

st.subheader(t("quality.batches_title", lang))
st.caption(t("quality.batches_caption", lang))
st.dataframe(
    charts_plan.styled_table(batches, quality.BATCH_COLUMNS, "quality", lang),
    hide_index=True,
    width="stretch",
    on_select=pick_batch_from_table,
    selection_mode="single-row",
    key=TABLE,
    placeholder="—",
)
