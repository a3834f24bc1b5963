"""GET /users, /users/{id}, /users/me."""

from __future__ import annotations

from ..errors import not_found
from ..ids import require_id
from ..pagination import list_body, paginate
from ..shapes import render_user
from ..validation import check_page_size
from .common import Ctx


def list_users(ctx: Ctx) -> dict:
    """People and the bot, paginated."""
    users = ctx.store.all("users")
    users.sort(key=lambda u: u["type"] != "person")  # people first, then bots, as Notion lists
    size = check_page_size("query.page_size", ctx.args.get("page_size"))
    chunk, cursor, more = paginate(users, ctx.args.get("start_cursor"), size, "query.start_cursor")
    return list_body([render_user(u, ctx.file_limit) for u in chunk], cursor, more, "user")


def retrieve(ctx: Ctx, user_id: str) -> dict:
    """One user."""
    found = ctx.store.get("users", require_id(user_id, "path.user_id"))
    if found is None:
        raise not_found("user", user_id)
    return render_user(found, ctx.file_limit)


def me(ctx: Ctx) -> dict:
    """The integration's bot user."""
    return render_user(ctx.store.get("users", ctx.bot_id), ctx.file_limit)
