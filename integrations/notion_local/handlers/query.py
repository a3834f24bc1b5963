"""POST /data_sources/{id}/query and POST /search."""

from __future__ import annotations

from ..errors import invalid
from ..filters import compile_filter, sort_pages
from ..pagination import list_body, paginate
from ..shapes import page_title, render_data_source, render_page
from ..validation import check_bool, check_object, check_page_size, plain_text
from .common import Ctx, load_source, schema_of, visible


def query(ctx: Ctx, data_source_id: str) -> dict:
    """Filter, sort and paginate a data source's pages."""
    source = load_source(ctx, data_source_id)
    body = ctx.body
    schema = source["properties"]
    ctx.schemas[source["id"]] = schema
    page_size = check_page_size("body.page_size", body.get("page_size"))
    trashed = _want_trashed(body)
    match = compile_filter(body["filter"], schema, ctx.moment, ctx.bot_id) if body.get("filter") else None
    pages = [p for p in ctx.store.pages_in(source["id"]) if p["archived"] == trashed]
    if match is not None:
        pages = [p for p in pages if match(p)]
    if body.get("sorts"):
        pages = sort_pages(pages, body["sorts"], schema)
    chunk, cursor, more = paginate(pages, body.get("start_cursor"), page_size)
    only = set(ctx.arg_list("filter_properties")) or None
    out = list_body([render_page(p, schema, only) for p in chunk], cursor, more,
                    "page_or_data_source")
    return out


def _want_trashed(body: dict) -> bool:
    """`in_trash: true` (or `archived: true`) asks for trashed pages only."""
    flags = [check_bool(f"body.{k}", body[k]) for k in ("in_trash", "archived") if k in body]
    return any(flags)


def search(ctx: Ctx) -> dict:
    """Pages and data sources whose title contains the query, newest edit first by default."""
    body = ctx.body
    text = body.get("query") or ""
    if not isinstance(text, str):
        raise invalid("body failed validation: body.query should be a string.")
    wanted = _search_kind(body.get("filter"))
    direction = _search_direction(body.get("sort"))
    needle = text.casefold()
    found = []
    if wanted in (None, "page"):
        for page in ctx.store.all_pages():
            if not page["archived"] and needle in page_title(
                    page, schema_of(ctx, page)).casefold() and visible(ctx, "pages", page):
                found.append(("page", page))
    if wanted in (None, "data_source"):
        for source in ctx.store.all("data_sources"):
            if not source["archived"] and needle in plain_text(
                    source["title"]).casefold() and visible(ctx, "data_sources", source):
                found.append(("data_source", source))
    found.sort(key=lambda item: item[1]["last_edited_time"], reverse=direction == "descending")
    rows = [{"id": obj["id"], "kind": kind, "obj": obj} for kind, obj in found]
    chunk, cursor, more = paginate(rows, body.get("start_cursor"),
                                   check_page_size("body.page_size", body.get("page_size")))
    return list_body([_render_hit(ctx, row) for row in chunk], cursor, more,
                     "page_or_data_source")


def _render_hit(ctx: Ctx, row: dict) -> dict:
    if row["kind"] == "page":
        return render_page(row["obj"], schema_of(ctx, row["obj"]))
    return render_data_source(row["obj"], ctx.store.get("databases", row["obj"]["database_id"]))


def _search_kind(raw) -> str | None:
    if raw is None:
        return None
    check_object("body.filter", raw)
    if raw.get("property") != "object" or raw.get("value") not in ("page", "data_source"):
        raise invalid("body failed validation: body.filter.value should be `page` or "
                      f"`data_source`, instead was `{raw.get('value')}`.")
    return raw["value"]


def _search_direction(raw) -> str:
    if raw is None:
        return "descending"
    check_object("body.sort", raw)
    if raw.get("timestamp", "last_edited_time") != "last_edited_time":
        raise invalid("body failed validation: body.sort.timestamp should be "
                      "`last_edited_time`.")
    direction = raw.get("direction", "descending")
    if direction not in ("ascending", "descending"):
        raise invalid("body failed validation: body.sort.direction should be `ascending` or "
                      f"`descending`, instead was `{direction}`.")
    return direction
