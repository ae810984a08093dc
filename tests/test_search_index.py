"""The site's search index (Material's search plugin, search/search_index.json): every chapter is
in it, and the self-assessment questions are not, so a search leads to the explanation in the
chapter and never shows an answer's feedback (which also kept a third of the index's text)."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from conftest import ROOT


@pytest.fixture(scope="module")
def index(built_site) -> list[dict]:
    path = built_site.dir / "search" / "search_index.json"
    return json.loads(path.read_text(encoding="utf-8"))["docs"]


def _written_feedback() -> list[str]:
    """The feedback sentences of the bank's written questions, as the YAML has them."""
    bank = yaml.safe_load((ROOT / "data" / "preguntas.yml").read_text(encoding="utf-8"))
    texts = []
    for question in (q for questions in bank["pages"].values() for q in questions):
        texts += [option.get("feedback", "") for option in question.get("options", [])]
        texts += [question.get("feedback_true", ""), question.get("feedback_false", "")]
    # Plain words only: Markdown marks and quotes come out changed in the index.
    return [text[:40] for text in texts if len(text) >= 40 and not re.search(r"[`*_<>&\"']",
                                                                             text[:40])]


def test_no_question_feedback_is_searchable(index):
    # Some chapters' own «Preguntas de repaso» answer in the same words: those stay.
    chapters = " ".join(" ".join(re.sub(r"[*_`]", "", p.read_text(encoding="utf-8")).split())
                        for p in (ROOT / "docs").rglob("*.md"))
    feedback = [sentence for sentence in _written_feedback() if sentence not in chapters]
    assert len(feedback) > 100
    text = "\n".join(doc["text"] for doc in index)
    found = [sentence for sentence in feedback if sentence in text]
    assert found == []


def test_every_chapter_and_its_self_assessment_heading_stay_searchable(index, built_site):
    locations = {doc["location"] for doc in index}
    chapters = [p.parent.relative_to(built_site.dir).as_posix() + "/"
                for p in built_site.dir.glob("*/index.html")
                if (p.parent / "index.html").read_text(encoding="utf-8").count(
                    'id="autoevaluacion"')]
    assert len(chapters) >= 10
    for chapter in chapters:
        assert chapter in locations
        assert f"{chapter}#autoevaluacion" in locations  # the heading: "autoevaluación" finds it
