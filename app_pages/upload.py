"""Загрузка данных: files in, what the importer sees in them, fixes to the mapping, import, history.

The page reads widgets, calls one package function per visual and draws. Everything it knows about
a file comes from ``ingest.preview_file``; the import itself is ``ingest.import_file``.
"""

import re
from datetime import date

import pandas as pd
import streamlit as st

from app_pages import login
from sales_analytics import auth, batches, ui_cache
from sales_analytics.db import DatabaseBusy
from sales_analytics.i18n import format_day, format_money, format_month, format_number, t
from sales_analytics.ingest import FIELDS, KINDS, InputError, import_file

lang = ui_cache.lang()
state = st.session_state
can_edit = login.allowed("editor")  # shows the controls; every action checks again (require_role)
state.setdefault("upload_gen", 0)  # bumping it gives a fresh, empty file uploader
state.setdefault("upload_mappings", {})  # (file_id, kind) -> {header: field or None}, the person's fixes

TYPES = ["xlsx", "xlsm", "xls", "ods", "csv"]
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
    "xls": "application/vnd.ms-excel",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "csv": "text/csv",
}


def md(text: object) -> str:
    """Text from a file, safe inside Streamlit markdown (no emphasis, links, HTML or LaTeX)."""
    return re.sub(r"([\\`*_\[\]<>#|$~:])", r"\\\1", str(text))


def text_or(key: str, fallback: str, **values) -> str:
    text = t(key, lang, **values)
    return fallback if text == key else text


def warning_label(code: str) -> str:
    return text_or(f"warning.{code}", code)


IGNORE = ""  # the option "— не загружать —": the column is not imported


def field_label(field: str | None) -> str:
    return t("ui.upload.ignore", lang) if not field else t(f"field.{field}", lang)


def problems_frame(problems) -> pd.DataFrame:
    """Every located problem as a table a person can sort: file, sheet, row, column, value, reason."""
    return pd.DataFrame(
        {
            t("ui.col.file", lang): [p.file for p in problems],
            t("ui.col.sheet", lang): [p.sheet or "" for p in problems],
            t("ui.col.row", lang): [p.row for p in problems],
            t("ui.col.column", lang): [p.column or "" for p in problems],
            t("ui.col.value", lang): [p.value or "" for p in problems],
            t("ui.col.reason", lang): [t(f"problem.{p.code}", lang, detail=p.detail or "") for p in problems],
        }
    )


def show_problems(problems, *, key: str) -> None:
    st.dataframe(problems_frame(problems), hide_index=True, width="stretch", key=key, placeholder="—")


def period_text(start: date | None, end: date | None) -> str:
    if start is None or end is None:
        return "—"
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    first, last = format_month(start, lang), format_month(end, lang)
    span = first if first == last else f"{first} – {last}"
    return t("ui.upload.months", lang, span=span, count=months)


def on_mapping_change(file_id: str, kind: str, header: str, key: str, siblings: list[str]) -> None:
    """A column's field was changed: remember it by header text, and show it under every sheet."""
    value = state[key]
    state.upload_mappings.setdefault((file_id, kind), {})[header] = value or None
    for other in siblings:
        if other != key:
            state[other] = value


def clear_results() -> None:
    state.pop("upload_results", None)


# --- the last import's outcome (kept across the rerun that refreshes the sidebar) ---------------


def show_results(results: list[dict]) -> None:
    for number, item in enumerate(results):
        name = item["file"]
        error: InputError | None = item.get("error")
        if error is not None:
            lines = error.message(lang).splitlines()
            st.error(
                "  \n".join([f"**{t('ui.upload.result_failed', lang, file=md(name))}**", *map(md, lines)]),
                icon=":material/error:",
            )
            if len(error.problems) > 1:
                with st.expander(t("ui.upload.all_problems", lang, count=len(error.problems))):
                    show_problems(error.problems, key=f"result_problems_{number}")
            continue
        if item.get("forbidden"):
            st.error(t("auth.forbidden_action", lang), icon=":material/block:")
            continue
        if item.get("busy"):
            st.error(t("ui.db.busy", lang), icon=":material/hourglass:")
            continue
        result = item["result"]
        lines = [f"**{t('ui.upload.result_ok', lang, file=md(name), kind=t('kind.' + result.kind, lang))}**"]
        lines.append(
            t(
                "ui.upload.result_rows",
                lang,
                rows=format_number(result.rows, lang),
                amount=format_money(result.amount_total, lang),
            )
        )
        if result.margin_total is not None:
            lines.append(t("ui.upload.result_margin", lang, margin=format_money(result.margin_total, lang)))
        if result.snapshot_date is not None:
            lines.append(t("ui.upload.result_snapshot", lang, date=format_day(result.snapshot_date, lang)))
        if result.period_from is not None:
            lines.append(
                t("ui.upload.result_period", lang, period=period_text(result.period_from, result.period_to))
            )
        if result.sheets and result.sheets != [name]:
            lines.append(t("ui.upload.result_sheets", lang, sheets=", ".join(map(md, result.sheets))))
        if result.replaced_rows:
            lines.append(
                t("ui.upload.result_replaced", lang, count=format_number(result.replaced_rows, lang))
            )
        st.success("  \n".join(lines), icon=":material/check_circle:")
        if result.warnings:
            st.warning(
                "  \n".join(
                    [f"**{t('ui.upload.warnings', lang)}**"]
                    + [f"{warning_label(code)}: {count}" for code, count in result.warnings.items()]
                ),
                icon=":material/info:",
            )
        if result.skipped:
            st.warning(t("ui.upload.result_skipped", lang, count=len(result.skipped)), icon=":material/rule:")
            show_problems(result.skipped, key=f"result_skipped_{number}")


# --- one uploaded file: what the importer sees, and the person's fixes ---------------------------


def draw_file(upload) -> dict | None:
    """Show the file's preview and controls. Returns what ``import_file`` needs, or None."""
    file_id, name, data = upload.file_id, upload.name, upload.getvalue()
    with st.container(border=True):
        st.markdown(f"#### :material/description: {md(name)}")
        try:
            guess = ui_cache.preview_file(data, name)
        except InputError as error:
            st.error("  \n".join(map(md, error.message(lang).splitlines())), icon=":material/error:")
            return None

        top = st.columns([1, 1])
        kind = top[0].selectbox(
            t("ui.upload.kind", lang),
            KINDS,
            index=KINDS.index(guess.kind),
            format_func=lambda k: t(f"kind.{k}", lang),
            key=f"kind:{file_id}",
        )
        year_key = f"year:{file_id}"
        mapping = state.upload_mappings.get((file_id, kind)) or None
        year = state.get(year_key) if kind == "plan" else None
        try:
            preview = (
                guess
                if kind == guess.kind and mapping is None and year is None
                else ui_cache.preview_file(data, name, kind, mapping, year)
            )
        except InputError as error:
            st.error("  \n".join(map(md, error.message(lang).splitlines())), icon=":material/error:")
            return None

        as_of = None
        if kind == "deals":
            as_of = top[1].date_input(
                t("ui.upload.snapshot_date", lang),
                value=preview.snapshot_date or date.today(),
                format="DD.MM.YYYY" if lang == "ru" else "YYYY-MM-DD",
                key=f"asof:{file_id}",
                help=t("ui.upload.snapshot_help", lang),
            )
        elif kind == "plan" and (preview.year is None or year is not None):
            year = top[1].number_input(
                t("ui.upload.year", lang),
                min_value=2000,
                max_value=2100,
                value=None,
                step=1,
                placeholder=str(date.today().year),
                key=year_key,
            )
            if year is None:
                st.warning(t("ui.upload.year_missing", lang), icon=":material/calendar_month:")
        elif kind == "plan":
            top[1].markdown(t("ui.upload.year_found", lang, year=preview.year))

        if preview.problems:
            st.warning(
                "  \n".join(
                    [
                        f"**{t('ui.upload.problems', lang)}**",
                        *(md(p.message(lang)) for p in preview.problems[:10]),
                    ]
                ),
                icon=":material/warning:",
            )
            if len(preview.problems) > 10:
                with st.expander(t("ui.upload.all_problems", lang, count=len(preview.problems))):
                    show_problems(preview.problems, key=f"preview_problems:{file_id}")

        sheets = preview.sheets
        tabs = st.tabs([sheet.name or "—" for sheet in sheets]) if len(sheets) > 1 else [st.container()]
        # Every selectbox that shows a header, so that a fix under one sheet shows under all.
        keys_by_header: dict[str, list[str]] = {}
        for s_index, sheet in enumerate(sheets):
            for c_index, column in enumerate(sheet.columns):
                key = f"map:{file_id}:{kind}:{s_index}:{c_index}"
                keys_by_header.setdefault(column.header, []).append(key)

        for s_index, (sheet, tab) in enumerate(zip(sheets, tabs, strict=True)):
            with tab:
                draw_sheet(file_id, kind, s_index, sheet, keys_by_header)

    return {"data": data, "name": name, "kind": kind, "as_of": as_of, "year": year, "mapping": mapping}


def draw_sheet(file_id: str, kind: str, s_index: int, sheet, keys_by_header: dict[str, list[str]]) -> None:
    if sheet.skipped:
        reason = text_or(f"ui.skip.{sheet.skipped}", sheet.skipped)
        st.caption(t("ui.upload.sheet_skipped", lang, sheet=md(sheet.name), reason=reason))
        return
    notes = []
    if sheet.header_row is None:
        notes.append(t("ui.upload.no_header", lang))
    elif sheet.header_rows > 1:
        notes.append(
            t(
                "ui.upload.header_rows",
                lang,
                first=sheet.header_row,
                last=sheet.header_row + sheet.header_rows - 1,
            )
        )
    else:
        notes.append(t("ui.upload.header_row", lang, row=sheet.header_row))
    if sheet.group_field:
        notes.append(t("ui.upload.group_field", lang, field=field_label(sheet.group_field)))
    if sheet.sheet_fills:
        notes.append(t("ui.upload.sheet_fills", lang, field=field_label(sheet.sheet_fills)))
    if sheet.wide_months:
        months = [format_month(month, lang) for _, month in sheet.wide_months]
        shown = ", ".join(months[:3]) + (f" … {months[-1]}" if len(months) > 3 else "")
        notes.append(t("ui.upload.wide_months", lang, count=len(months), months=shown))
    st.caption(" · ".join(notes))

    if sheet.columns:
        st.markdown(f"**{t('ui.upload.columns', lang)}**")
        options = [IGNORE, *FIELDS]
        for c_index, column in enumerate(sheet.columns):
            if c_index % 3 == 0:  # a row of three; on a phone they stack in reading order
                row = iter(st.columns(3))
            key = f"map:{file_id}:{kind}:{s_index}:{c_index}"
            next(row).selectbox(
                t("ui.upload.column_label", lang, letter=column.letter, header=column.header or "—"),
                options,
                index=options.index(column.field) if column.field in options else 0,
                format_func=field_label,
                key=key,
                on_change=on_mapping_change,
                args=(file_id, kind, column.header, key, keys_by_header.get(column.header, [])),
            )
    if sheet.sample is not None and not sheet.sample.empty:
        st.markdown(f"**{t('ui.upload.sample', lang)}**")
        st.dataframe(
            sheet.sample,
            hide_index=True,
            width="stretch",
            key=f"sample:{file_id}:{kind}:{s_index}",
            placeholder="—",
        )


def run_import(specs: list[dict], skip_invalid: bool) -> list[dict]:
    """Import every file, each all or nothing, feeding one progress bar. Returns the outcomes."""
    try:
        login.require_role("editor")
    except auth.Forbidden:
        return [{"file": spec["name"], "forbidden": True} for spec in specs]
    bar = st.progress(0.0, text=t("ui.upload.importing", lang))
    db = ui_cache.database()
    results = []
    for number, spec in enumerate(specs):

        def progress(fraction: float, stage: str, number=number, name=spec["name"]) -> None:
            done = min(1.0, max(0.0, (number + fraction) / len(specs)))
            bar.progress(done, text=f"{name}: {text_or(f'ui.stage.{stage}', stage)}")

        item = {"file": spec["name"]}
        try:
            with db.cursor() as con:
                item["result"] = import_file(
                    con,
                    spec["data"],
                    spec["name"],
                    spec["kind"],
                    as_of=spec["as_of"],
                    year=spec["year"],
                    skip_invalid=skip_invalid,
                    mapping=spec["mapping"],
                    archive_dir=db.archive_dir,
                    uploaded_by=login.actor(),
                    progress=progress,
                )
        except InputError as error:
            item["error"] = error
        except DatabaseBusy:
            item["busy"] = True
        results.append(item)
    bar.progress(1.0, text=t("ui.upload.done", lang))
    return results


# --- the upload history, with undo ----------------------------------------------------------------


def ask_delete(batch_id: int) -> None:
    state["confirm_delete"] = batch_id


def cancel_delete() -> None:
    state.pop("confirm_delete", None)


def do_delete(batch_id: int, file_name: str) -> None:
    state.pop("confirm_delete", None)
    try:
        login.require_role("editor")
        with ui_cache.database().cursor() as con:
            rows = batches.delete_batch(con, batch_id, login.actor())
    except auth.Forbidden:
        st.toast(t("auth.forbidden_action", lang), icon=":material/block:")
        return
    except DatabaseBusy:
        st.toast(t("ui.db.busy", lang), icon=":material/hourglass:")
        return
    st.toast(t("ui.upload.deleted", lang, id=batch_id, file=file_name, rows=format_number(rows, lang)))


def draw_batch(batch) -> None:
    batch_id = int(batch.batch_id)
    with st.container(border=True, key=f"batch_{batch_id}"):
        left, right = st.columns([5, 1], vertical_alignment="center")
        title = t(
            "ui.upload.batch_title",
            lang,
            id=batch_id,
            kind=t(f"kind.{batch.kind}", lang),
            file=md(batch.file_name),
        )
        if batch.is_demo:
            title += f" :orange-badge[{t('ui.demo.badge', lang)}]"
        left.markdown(title)
        imported = pd.Timestamp(batch.imported_at)
        details = [
            f"{format_day(imported.date(), lang)} {imported:%H:%M}",
            t("ui.upload.batch_rows", lang, rows=format_number(batch.row_count, lang)),
            format_money(batch.amount_total, lang),
        ]
        if not pd.isna(batch.snapshot_date):
            details.append(
                t(
                    "ui.upload.batch_snapshot",
                    lang,
                    date=format_day(pd.Timestamp(batch.snapshot_date).date(), lang),
                )
            )
        elif not pd.isna(batch.period_from):
            details.append(
                period_text(pd.Timestamp(batch.period_from).date(), pd.Timestamp(batch.period_to).date())
            )
        if batch.skipped_count:
            details.append(t("ui.upload.batch_skipped", lang, count=format_number(batch.skipped_count, lang)))
        if batch.uploaded_by:
            details.append(t("auth.uploaded_by", lang, name=md(batch.uploaded_by)))
        left.caption(" · ".join(details))
        if not can_edit:
            return
        right.button(
            t("ui.upload.delete", lang),
            icon=":material/undo:",
            key=f"delete:{batch_id}",
            on_click=ask_delete,
            args=(batch_id,),
            width="stretch",
        )
        if state.get("confirm_delete") == batch_id:
            st.warning(
                t("ui.upload.delete_confirm", lang, id=batch_id, file=md(batch.file_name)),
                icon=":material/warning:",
            )
            yes, no = st.columns(2)
            yes.button(
                t("ui.upload.delete_yes", lang),
                type="primary",
                key=f"delete_yes:{batch_id}",
                on_click=do_delete,
                args=(batch_id, batch.file_name),
                width="stretch",
            )
            no.button(
                t("ui.upload.delete_no", lang),
                key=f"delete_no:{batch_id}",
                on_click=cancel_delete,
                width="stretch",
            )


# --- the page ------------------------------------------------------------------------------------


def draw_history() -> None:
    st.header(t("ui.upload.history", lang))
    history = ui_cache.list_batches()
    if history.empty:
        st.caption(t("ui.upload.history_empty", lang))
        return
    show_all = len(history) <= 20 or st.toggle(
        t("ui.upload.show_all", lang, count=len(history)), key="history_all"
    )
    for batch in (history if show_all else history.head(20)).itertuples(index=False):
        draw_batch(batch)


st.title(t("ui.upload.title", lang))

if not can_edit:  # a viewer gets the history and no control at all, whatever the browser sends
    st.info(t("auth.forbidden", lang), icon=":material/visibility:")
    draw_history()
    st.stop()

if "upload_results" in state:
    show_results(state["upload_results"])

st.markdown(t("ui.upload.intro", lang))
uploads = st.file_uploader(
    t("ui.upload.uploader", lang),
    type=TYPES,
    accept_multiple_files=True,
    key=f"uploader:{state.upload_gen}",
    on_change=clear_results,
)

with st.expander(t("ui.upload.templates", lang), icon=":material/download:"):
    st.caption(t("ui.upload.templates_intro", lang))
    for file_name, content in ui_cache.template_files().items():
        st.download_button(
            file_name,
            content,
            file_name=file_name,
            mime=MIME.get(file_name.rsplit(".", 1)[-1].lower(), "application/octet-stream"),
            icon=":material/download:",
            on_click="ignore",
            key=f"template:{file_name}",
        )

specs = [spec for upload in uploads or [] if (spec := draw_file(upload)) is not None]

if uploads:
    skip_invalid = st.checkbox(
        t("ui.upload.skip_invalid", lang),
        value=False,
        help=t("ui.upload.skip_invalid_help", lang),
        key="skip_invalid",
    )
    if st.button(
        t("ui.upload.import", lang),
        type="primary",
        icon=":material/upload:",
        disabled=not specs,
        key="import",
    ):
        results = run_import(specs, skip_invalid)
        state["upload_results"] = results
        if all("result" in item for item in results):
            state.upload_gen += 1  # everything is in: an empty uploader for the next files
            state.upload_mappings = {}
        st.rerun()

draw_history()
