"""Course content over the built site: navigation, images and diagrams, chapter structure and
the topics of the 2016 slides (each page's expected section headings, held here)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
BASE = "https://sitio.invalid/"  # any absolute base: only the resolved paths are compared

OBJECTIVES = "Objetivos de aprendizaje"
FURTHER_READING = "Para saber más"
REVIEW = "Preguntas de repaso"

# The section headings (h2) that carry the slides' topics, per page URL.
EXPECTED_H2 = {
    "introduccion/": ["Objetivo y método", "¿Para qué se utiliza?", "Ventajas", "Inconvenientes"],
    "conceptos/": ["Anfitrión e invitado", "Hipervisor o VMM", "Máquina virtual", "Aislamiento"],
    "hipervisores/": ["¿Qué hace un hipervisor?", "Tipo 1: nativo o bare-metal",
                      "Tipo 2: alojado o hosted", "Cuando la frontera se difumina"],
    "extensiones/": ["Intel VT-x y AMD-V", "¿Por qué importan?", "¿Tiene mi CPU estas extensiones?",
                     "Activarlas en el firmware", "SLAT, IOMMU y virtualización anidada"],
    "tecnicas/emulacion/": ["¿Qué significa emular?", "Cómo funciona un emulador",
                            "Emulación de sistema y de usuario", "Emulación y virtualización"],
    "tecnicas/virtualizacion-completa/": ["Un invitado sin modificar", "El problema de x86",
                                          "La traducción binaria", "Completa no significa tipo 2"],
    "tecnicas/paravirtualizacion/": ["Un invitado que colabora", "Dos niveles: CPU y dispositivos",
                                     "Paravirtualización I y II en 2016", "Paravirtualización hoy"],
    "tecnicas/asistida-por-hardware/": ["Qué aporta el procesador",
                                        "Paso a paso: una salida al hipervisor",
                                        "Memoria y dispositivos", "Más allá de x86",
                                        "¿Hardware especial?"],
    "tecnicas/contenedores/": ["Un solo núcleo, muchos espacios de usuario",
                               "Las piezas en Linux: namespaces y cgroups",
                               "De chroot a Docker: una breve historia",
                               "Contenedores de sistema y de aplicación", "El estándar OCI",
                               "Los límites del aislamiento", "Híbridos: Kata Containers y gVisor"],
    "otros-tipos/": ["Virtualización de bibliotecas", "Virtualización de aplicaciones",
                     "Virtualización de escritorio", "Otras formas"],
    "comparativa/": ["Cómo leer el cuadro", "2016 y hoy", "De dónde salen los datos"],
    # Chapters added in 2026 (issue 15): the topics every school lab depends on.
    "redes/": ["Una tarjeta sin cable", "Los cinco modos", "Qué alcanza cada modo",
               "Cada herramienta, sus nombres", "Conmutadores virtuales y VLAN"],
    "almacenamiento/": ["El disco es un fichero", "Asignación dinámica o fija",
                        "Instantáneas, diferencias y clones enlazados", "Convertir entre formatos",
                        "Almacenamiento compartido"],
    "recursos/": ["vCPU, núcleos e hilos", "Sobreasignar la CPU", "Sobreasignar la memoria",
                  "Reservas, límites y pesos", "Lo que cuesta cada técnica"],
    "invitado-firmware/": ["Las herramientas de invitado",
                           "Windows y virtio: el disco que no aparece",
                           "Firmware virtual: BIOS y UEFI",
                           "Arranque seguro y TPM: lo que pide Windows 11",
                           "Seguridad basada en virtualización",
                           "Máquinas virtuales confidenciales"],
    "nube/": ["Qué añade la nube", "IaaS, PaaS y SaaS", "Instancias, imágenes y metadatos",
              "Qué hay debajo de los grandes proveedores"],
    "elegir/": ["Cuatro preguntas", "Según el anfitrión", "Según el propósito",
                "Según la licencia"],
    "creditos/": ["Obra original", "Esta edición", "Cómo contribuir", "Componentes de terceros"],
}

# Names and facts of the slides that a page must mention (case-insensitive).
EXPECTED_TERMS = {
    "hipervisores/": ["Dom0"],
    "extensiones/": ["Vanderpool", "Pacifica", "egrep", "lscpu"],
    "tecnicas/virtualizacion-completa/": ["traducción binaria", "tipo 2", "6.1"],
    "tecnicas/paravirtualizacion/": ["ESX", "Xen", "Hyper-V", "virtio", "VMBus", "PVH", "VMI"],
    "tecnicas/contenedores/": ["namespaces", "cgroups", "chroot", "jaulas", "zonas", "OpenVZ",
                               "LXC", "Docker", "Podman", "OCI", "Kata", "gVisor"],
    "otros-tipos/": ["Wine", "Proton", "Java", "WebAssembly", "SunVDI", "VDI"],
    "comparativa/": ["Comparison of platform virtualization software", "por verificar"],
    "redes/": ["NAT", "red NAT", "puente", "solo anfitrión", "red interna", "VirtualBox", "libvirt",
               "Hyper-V", "VMware", "Linux", "Open vSwitch", "vSwitch", "VLAN", "802.1Q"],
    "almacenamiento/": ["raw", "qcow2", "VMDK", "VDI", "VHDX", "qemu-img convert",
                        "VBoxManage clonemedium", "NFS", "iSCSI", "Ceph", "migración en vivo"],
    "recursos/": ["vCPU", "globo", "KSM", "reserva", "límite", "peso", "tiempo robado", "steal"],
    "invitado-firmware/": ["Guest Additions", "VMware Tools", "open-vm-tools", "qemu-guest-agent",
                           "virtio-win", "OVMF", "TPM", "Windows 11", "VBS", "SEV-SNP", "TDX"],
    "nube/": ["IaaS", "PaaS", "SaaS", "cloud-init", "metadatos", "Nitro", "Firecracker",
              "Lambda", "Fargate", "Azure", "Hyper-V", "Google Cloud", "KVM"],
    "elegir/": ["Windows", "Linux", "macOS", "sobre el hardware", "licencia", "emulación",
                "contenedores", "clúster"],
    "creditos/": ["Alberto Molina Coballes", "IES Gonzalo Nazareno", "Junta de Andalucía",
                  "29 de septiembre de 2016", "El arte de virtualizar", "Miguel Vidal",
                  "José Castro", "CC BY-SA 3.0 ES", "CC BY-SA 4.0", "MIT", "CONTRIBUTING.md"],
}

# Chapters: open with learning objectives, end with further reading and review questions.
CHAPTERS = sorted(set(EXPECTED_H2) - {"creditos/"})


def _url_of(source: Path) -> str:
    """The site URL of a Markdown page (use_directory_urls)."""
    path = source.relative_to(DOCS).with_suffix("").as_posix()
    if path == "index" or path.endswith("/index"):
        return path[: -len("index")]
    return path + "/"


def _soup(built_site, url: str) -> BeautifulSoup:
    return BeautifulSoup(built_site.page(url).read_text(encoding="utf-8"), "html.parser")


def _article(built_site, url: str):
    article = _soup(built_site, url).select_one("article.md-content__inner")
    assert article is not None, f"{url}: no article"
    return article


def _text(tag) -> str:
    """A heading's visible text, without its permalink."""
    for link in tag.select("a.headerlink"):
        link.decompose()
    return " ".join(tag.get_text().split())  # no separator: "<abbr>SLAT</abbr>, IOMMU" stays whole


def _section(heading) -> list:
    """The elements after an h2 up to the next h2."""
    out = []
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        out.append(sibling)
    return out


def _h2(article, title: str):
    found = [h for h in article.find_all("h2") if _text(h) == title]
    return found[0] if found else None


def test_every_page_is_in_the_nav(built_site):
    pages = {_url_of(p) for p in DOCS.rglob("*.md") if "_includes" not in p.parts}
    soup = _soup(built_site, "")
    links = soup.select("nav.md-nav--primary a.md-nav__link[href]")
    in_nav = {urlsplit(urljoin(BASE, a["href"])).path.lstrip("/") for a in links}
    assert sorted(pages - in_nav) == []


def test_every_svg_in_docs_has_a_title():
    svgs = sorted(DOCS.rglob("*.svg"))
    untitled = []
    for path in svgs:
        root = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find("svg")
        title = root.find("title", recursive=False) if root else None
        if not (title and title.get_text(strip=True)):
            untitled.append(str(path.relative_to(ROOT)))
    assert untitled == []


def test_every_image_has_alt_text(built_site):
    missing = []
    for path in built_site.html_pages():
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for img in soup.find_all("img"):
            if not img.get("alt", "").strip():
                missing.append(f"{path.relative_to(built_site.dir)}: {img.get('src')}")
    assert missing == []


@pytest.mark.parametrize("url", CHAPTERS)
def test_chapter_opens_with_learning_objectives(built_site, url):
    article = _article(built_site, url)
    titles = [t for t in article.select(".admonition.abstract > .admonition-title")
              if _text(t) == OBJECTIVES]
    assert titles, f"{url}: no «{OBJECTIVES}» admonition"
    first_h2 = article.find("h2")
    assert first_h2 is None or first_h2 in titles[0].find_all_next("h2"), (
        f"{url}: the objectives must come before the first section")


@pytest.mark.parametrize("url", CHAPTERS)
def test_chapter_ends_with_reading_and_review_questions(built_site, url):
    article = _article(built_site, url)
    reading, review = _h2(article, FURTHER_READING), _h2(article, REVIEW)
    assert reading is not None and review is not None, f"{url}: missing closing sections"
    links = [a for el in _section(reading) for a in el.find_all("a", href=True)]
    assert links, f"{url}: «{FURTHER_READING}» cites no source"
    questions = [el for el in _section(review) if el.name == "details"]
    assert questions, f"{url}: «{REVIEW}» has no collapsible question"
    for question in questions:
        summary = question.find("summary")
        assert summary and summary.get_text(strip=True), f"{url}: a question has no summary"
        answer = question.get_text(" ", strip=True)[len(summary.get_text(" ", strip=True)):]
        assert answer.strip(), f"{url}: «{summary.get_text(strip=True)}» has no answer"


@pytest.mark.parametrize("url", sorted(EXPECTED_H2))
def test_page_has_the_sections_of_its_topics(built_site, url):
    present = [_text(h) for h in _article(built_site, url).find_all("h2")]
    missing = [h for h in EXPECTED_H2[url] if h not in present]
    assert missing == [], f"{url}: missing sections {missing}; found {present}"


@pytest.mark.parametrize("url", sorted(EXPECTED_TERMS))
def test_page_mentions_the_slides_topics(built_site, url):
    text = " ".join(_article(built_site, url).get_text(" ").split()).casefold()
    missing = [term for term in EXPECTED_TERMS[url] if term.casefold() not in text]
    assert missing == [], f"{url}: does not mention {missing}"


def _spanish_sort_key(term: str) -> str:
    """Dictionary order: case and accents ignored."""
    decomposed = unicodedata.normalize("NFKD", term.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def test_glossary_is_a_sorted_definition_list(built_site):
    article = _article(built_site, "glosario/")
    terms = [_text(dt) for dt in article.select("dl > dt")]
    assert len(terms) >= 30, "the glossary should define the course's terms"
    assert all(dt.find_next_sibling("dd") for dt in article.select("dl > dt"))
    assert terms == sorted(terms, key=_spanish_sort_key)


def test_abbreviations_are_sorted_unique_and_safe():
    lines = (DOCS / "_includes" / "abreviaturas.md").read_text(encoding="utf-8").splitlines()
    entries = [re.match(r"^\*\[([^\]]+)\]:\s*(\S.*)$", line) for line in lines if line.strip()]
    assert all(entries), "every line must be an abbreviation: *[SIGLA]: significado"
    keys = [m.group(1) for m in entries]
    assert len(keys) == len(set(keys)), "duplicated abbreviations"
    assert keys == sorted(keys, key=lambda k: (k.casefold(), k))
    # Two capitals at least: a tooltip must never land on an ordinary (or capitalised) word.
    assert [k for k in keys if sum(ch.isupper() for ch in k) < 2] == []


# The extensions chapter for first-year students: the deepest material sits in collapsible
# «Para profundizar» blocks, and the processor's rings are explained before they are used.
DEEP_TERMS = ["VMLAUNCH", "VMRESUME", "VMRUN", "VMCB"]
DEEP_TITLE = "Para profundizar"


def test_extensions_keep_the_deepest_material_in_collapsible_blocks(built_site):
    article = _article(built_site, "extensiones/")
    deep = [d for d in article.find_all("details")
            if d.summary and _text(d.summary).startswith(DEEP_TITLE)]
    assert deep, f"extensiones/: no «{DEEP_TITLE}» block"
    for block in deep:
        block.extract()
    rest = article.get_text(" ")
    assert [t for t in DEEP_TERMS if t in rest] == [], "deep terms outside «Para profundizar»"
    assert all(any(t in b.get_text(" ") for b in deep) for t in DEEP_TERMS)


def test_extensions_explain_rings_before_using_them(built_site):
    article = _article(built_site, "extensiones/")
    heading = next((h for h in article.find_all("h3")
                    if _text(h) == "Modos y anillos del procesador"), None)
    assert heading is not None, "extensiones/: no section on modes and rings"
    objectives = article.select_one(".admonition.abstract")  # may promise rings, not use them
    before = []
    for string in article.find_all(string=True):  # document order, inside the article only
        if heading in string.parents:
            break
        if objectives not in string.parents:
            before.append(string)
    assert not re.search(r"\banillos?\b", " ".join(before), re.I), "rings used before explained"


# One canonical explanation of trap-and-emulate and of shadow page tables (in the extensions
# chapter); the technique pages summarise and link to it.
CANONICAL_LINKS = {
    "tecnicas/virtualizacion-completa/": ["extensiones/#atrapar-y-emular",
                                          "extensiones/#traduccion-de-direcciones-de-segundo-nivel-slat"],
    "tecnicas/asistida-por-hardware/": [
        "extensiones/#traduccion-de-direcciones-de-segundo-nivel-slat"],
}


@pytest.mark.parametrize("url", sorted(CANONICAL_LINKS))
def test_technique_pages_link_to_the_canonical_explanations(built_site, url):
    hrefs = {urlsplit(urljoin(BASE + url, a["href"]))._replace(scheme="", netloc="").geturl()
             .lstrip("/") for a in _article(built_site, url).find_all("a", href=True)}
    missing = [target for target in CANONICAL_LINKS[url] if target not in hrefs]
    assert missing == [], f"{url}: no link to {missing}"


def test_one_name_for_shadow_page_tables(built_site):
    stray = [p.relative_to(built_site.dir).as_posix() for p in built_site.html_pages()
             if "tablas de páginas sombra" in " ".join(p.read_text(encoding="utf-8").split())]
    assert stray == [], f"say «tablas de páginas en la sombra»: {stray}"
