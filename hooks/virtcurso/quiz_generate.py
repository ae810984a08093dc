"""Questions generated from the systems' data, so the bank and the table can never disagree.

An entry such as `{id: firecracker-tecnicas, system: firecracker, asks: techniques}` becomes a
complete question: its options, the correct ones, the feedback (the statement's note and
source) and the section (the system's page) all come from data/hypervisors.yml.
"""

from __future__ import annotations

from .model import Course, Statement, System, Technique
from .quiz_model import Option, Question

USED = ("yes", "partial")  # as in the table: a system uses a technique fully or partly
TYPE_WORDS = {"1": "Tipo 1", "2": "Tipo 2", "none": "No es un hipervisor", "disputed": "Discutido"}
TYPE_MEANINGS = {
    "1": "un hipervisor de tipo 1 se ejecuta directamente sobre el hardware",
    "2": "un hipervisor de tipo 2 funciona como una aplicación de un sistema operativo anfitrión",
    "none": "no es un hipervisor quien no ejecuta máquinas virtuales con su propio núcleo, "
            "como los motores de contenedores",
    "disputed": "un tipo discutido es el de los sistemas que unas fuentes consideran de tipo 1 "
                "y otras de tipo 2",
}


def generated_question(entry: dict, course: Course, page: str, line: int) -> Question:
    system = next(s for s in course.systems if s.id == entry["system"])
    build = {"techniques": _techniques, "hypervisor-type": _hypervisor_type,
             "technique": _technique}[entry["asks"]]
    text, kind, options, section = build(system, course, entry.get("technique", ""))
    return Question(id=entry["id"], page=page, type=kind, text=text, options=tuple(options),
                    section=section, difficulty=entry["difficulty"], line=line, generated=True)


def _sources(statement: Statement) -> str:
    titles = [source.title for source in statement.sources]
    return f" Fuente: {'; '.join(titles)}." if titles else ""


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?", "»")) else f"{text}."


def _technique_feedback(system: System, technique: Technique) -> str:
    statement = system.statement(technique.id)
    note = f" {_sentence(statement.note)}" if statement.note else ""
    if statement.support == "yes":
        opening = f"Sí: {system.name} usa la técnica «{technique.name}»."
    elif statement.support == "partial":
        opening = f"Sí, en parte: {system.name} usa parcialmente la técnica «{technique.name}»."
    else:
        opening = f"No: {system.name} no usa la técnica «{technique.name}»."
    return f"{opening}{note}{_sources(statement)}"


def _techniques(system: System, course: Course, _technique_id: str):
    used = [t for t in course.techniques if system.statement(t.id).support in USED]
    if len(used) == 1:
        text, kind = f"¿Qué técnica de virtualización usa {system.name}?", "single"
    else:
        text = (f"¿Qué técnicas de virtualización usa {system.name}, total o parcialmente? "
                "Marca todas las que correspondan.")
        kind = "multiple"
    options = [Option(t.name, t in used, _technique_feedback(system, t)) for t in course.techniques]
    return text, kind, options, f"sistemas/{system.id}.md#tecnicas"


def _hypervisor_type(system: System, _course: Course, _technique_id: str):
    actual = system.hypervisor.type
    note = f" {_sentence(system.hypervisor.note)}" if system.hypervisor.note else ""
    options = []
    for kind, word in TYPE_WORDS.items():
        if kind == actual:
            feedback = f"Correcto: {TYPE_MEANINGS[kind]}.{note}"
        else:
            feedback = (f"No: {TYPE_MEANINGS[kind]}, y el curso clasifica {system.name} como "
                        f"«{TYPE_WORDS[actual]}».{note}")
        options.append(Option(word, kind == actual, feedback))
    text = f"¿Cómo clasifica el curso el hipervisor de {system.name}?"
    return text, "single", options, f"sistemas/{system.id}.md#tipo-de-hipervisor"


def _technique(system: System, course: Course, technique_id: str):
    technique = course.technique(technique_id)
    statement = system.statement(technique_id)
    uses = statement.support in USED
    explanation = _technique_feedback(system, technique)
    right, wrong = f"Correcto. {explanation}", f"Incorrecto. {explanation}"
    options = [Option("Verdadero", uses, right if uses else wrong),
               Option("Falso", not uses, wrong if uses else right)]
    text = f"{system.name} usa, total o parcialmente, la técnica «{technique.name}»."
    return text, "truefalse", options, f"sistemas/{system.id}.md#tecnica-{technique.slug}"
