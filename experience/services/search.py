"""The catalogue's search vector, stored (issue 13): on PostgreSQL each item keeps its weighted `tsvector` — title (A);
topic, author, co-authors, outside authors (B); relevance, novelty, results, source (C) — in a GIN-indexed column, so
a search reads an index instead of building every item's vector per query.

The database keeps it right, whatever writes the rows (the services, the admin, a bulk load): triggers installed by
migration 0002 recompute an item's vector when its text or author changes, when a co-author is added or removed, and
when a person's name changes. SQLite (the quick start) has no triggers here and its search reads the text
(selectors.catalogue)."""

from __future__ import annotations

from django.db import connection

CONFIG = "russian"
ITEM = "experience_experienceitem"
THROUGH = "experience_experienceitem_co_authors"
PERSON = "structure_person"
FIELDS = "title, topic, author_id, id, external_authors, relevance, novelty, results, source"

#: The vector of an item from its fields (a function, so that a BEFORE trigger can pass the row being written).
FUNCTION = f"""
CREATE OR REPLACE FUNCTION experience_item_vector(
    title text, topic text, author_id bigint, item_id bigint, external_authors text,
    relevance text, novelty text, results text, source text
) RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('{CONFIG}', coalesce(title, '')), 'A')
        || setweight(to_tsvector('{CONFIG}', concat_ws(' ', topic,
               (SELECT concat_ws(' ', a.last_name, a.first_name, a.patronymic) FROM {PERSON} a WHERE a.id = author_id),
               (SELECT string_agg(concat_ws(' ', c.last_name, c.first_name, c.patronymic), ' ')
                  FROM {THROUGH} t JOIN {PERSON} c ON c.id = t.person_id WHERE t.experienceitem_id = item_id),
               external_authors)), 'B')
        || setweight(to_tsvector('{CONFIG}', concat_ws(' ', relevance, novelty, results, source)), 'C')
$$;

CREATE OR REPLACE FUNCTION experience_item_vector_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := experience_item_vector(NEW.title, NEW.topic, NEW.author_id, NEW.id, NEW.external_authors,
                                                NEW.relevance, NEW.novelty, NEW.results, NEW.source);
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION experience_item_vector_co_author() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE changed bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN changed := OLD.experienceitem_id; ELSE changed := NEW.experienceitem_id; END IF;
    UPDATE {ITEM} SET search_vector = experience_item_vector({FIELDS}) WHERE id = changed;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION experience_item_vector_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {ITEM} SET search_vector = experience_item_vector({FIELDS})
     WHERE author_id = NEW.id OR id IN (SELECT experienceitem_id FROM {THROUGH} WHERE person_id = NEW.id);
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS experience_item_vector ON {ITEM};
CREATE TRIGGER experience_item_vector BEFORE INSERT OR UPDATE OF
    title, topic, author_id, external_authors, relevance, novelty, results, source
    ON {ITEM} FOR EACH ROW EXECUTE FUNCTION experience_item_vector_row();

DROP TRIGGER IF EXISTS experience_item_vector_co_author ON {THROUGH};
CREATE TRIGGER experience_item_vector_co_author AFTER INSERT OR DELETE
    ON {THROUGH} FOR EACH ROW EXECUTE FUNCTION experience_item_vector_co_author();

DROP TRIGGER IF EXISTS experience_item_vector_person ON {PERSON};
CREATE TRIGGER experience_item_vector_person AFTER UPDATE OF last_name, first_name, patronymic
    ON {PERSON} FOR EACH ROW
    WHEN (OLD.last_name IS DISTINCT FROM NEW.last_name OR OLD.first_name IS DISTINCT FROM NEW.first_name
          OR OLD.patronymic IS DISTINCT FROM NEW.patronymic)
    EXECUTE FUNCTION experience_item_vector_person();

CREATE INDEX IF NOT EXISTS experience_item_search ON {ITEM} USING gin (search_vector);
"""

DROP = f"""
DROP INDEX IF EXISTS experience_item_search;
DROP TRIGGER IF EXISTS experience_item_vector_person ON {PERSON};
DROP TRIGGER IF EXISTS experience_item_vector_co_author ON {THROUGH};
DROP TRIGGER IF EXISTS experience_item_vector ON {ITEM};
DROP FUNCTION IF EXISTS experience_item_vector_person();
DROP FUNCTION IF EXISTS experience_item_vector_co_author();
DROP FUNCTION IF EXISTS experience_item_vector_row();
DROP FUNCTION IF EXISTS experience_item_vector(text, text, bigint, bigint, text, text, text, text, text);
"""

REFRESH_ALL = f"UPDATE {ITEM} SET search_vector = experience_item_vector({FIELDS})"


def refresh_search() -> None:
    """Recompute every item's vector (after a restore from a dump taken without the triggers, say); nothing on
    SQLite."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(REFRESH_ALL)
