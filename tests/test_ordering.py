"""The models' default order, as every query without its own order_by sorts."""

from django.apps import apps

OUR_APPS = ("finsam", "accounts", "applications", "budget", "followup")


def test_no_default_order_sorts_by_a_relation_by_name():
    # Ordering by a foreign key by its name ("budget") sorts by the related model's own order,
    # so that each query joins the related table only to sort; by its column ("budget_id")
    # the rows of one parent come in the same order without the join (issue #12). A path into
    # the relation ("member__name") is a deliberate join and allowed.
    named = []
    for config in (apps.get_app_config(label) for label in OUR_APPS):
        for model in config.get_models():
            for term in model._meta.ordering:
                if not isinstance(term, str) or "__" in term:
                    continue
                name = term.lstrip("-")
                field = next((f for f in model._meta.fields if f.name == name), None)
                if field is not None and field.is_relation:
                    named.append(f"{model.__name__}: {term}")
    assert named == []
