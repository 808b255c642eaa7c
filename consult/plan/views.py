"""The plan tree, item search and the item page of a consultation."""
from flask import render_template, request, url_for
from flask_login import current_user

from consult.auth.permissions import can
from consult.consultations.models import Consultation
from consult.feedback.services import own_comment
from consult.feedback.tallies import comment_tallies
from consult.plan.blueprint import bp
from consult.plan.search import MAX_QUERY, search_items
from consult.plan.services import plan_tree
from consult.review.reading import item_comments
from consult.review.scopes import readable_scopes
from consult.web.drafts import pop_saved
from consult.web.loaders import load_consultation, load_item
from consult.web.permissions import require


def _item_url(consultation):
    return lambda item: url_for("plan.show_item", slug=consultation.slug, code=item.code)


@bp.route("/c/<slug>/plan")
@require("view_consultation", load=load_consultation)
def tree(slug: str, consultation: Consultation):
    """Goals, strategies, policies and projects, collapsible, with each item's own and subtree comment counts."""
    nodes = plan_tree(consultation.plan, comment_tallies(consultation))
    return render_template("plan/tree.html", consultation=consultation, nodes=nodes,
                           item_url=_item_url(consultation), query="")


@bp.route("/c/<slug>/plan/search")
@require("view_consultation", load=load_consultation)
def search(slug: str, consultation: Consultation):
    """Items whose code or text holds every word of the query, spelled any way."""
    query = request.args.get("q", "")[:MAX_QUERY]
    results = search_items(consultation.plan, query) if query.strip() else []
    tallies = comment_tallies(consultation, [item.id for item in results]) if results else {}
    return render_template("plan/search.html", consultation=consultation, query=query, results=results,
                           tallies=tallies, item_url=_item_url(consultation))


@bp.route("/c/<slug>/items/<code>")
@require("view_consultation", load=load_consultation)
def show_item(slug: str, code: str, consultation: Consultation):
    """An item with its ancestors, description, earlier progress, children and the user's own comment; reviewers
    also read the comments on the item and below it, within the scopes they may read."""
    item = load_item(consultation, code)
    tally = comment_tallies(consultation, [item.id])[item.id]
    readable = {scope.key for scope in readable_scopes(current_user, consultation)}
    reader = item_comments(consultation, item, readable, request.args.get("page", 1, type=int)) if readable else None
    return render_template(
        "plan/show_item.html",
        consultation=consultation,
        item=item,
        tally=tally,
        comment=own_comment(consultation, item, current_user),
        may_contribute=can(current_user, "contribute", consultation),
        accepts=consultation.accepts_input(),
        item_url=_item_url(consultation),
        saved_draft=pop_saved(),
        reader=reader,
    )
