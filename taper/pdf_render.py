"""PDF rendering with ReportLab Platypus: the only module that imports reportlab.

It lays out the pure views (:mod:`taper.calendar_view`, :mod:`taper.summary_view`); styles and
fonts live here in one place. No hand-placed coordinates except the running header and footer.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as _escape

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from regimens.quantity import UNITS_AFTER_NUMBERS
from taper.calendar_view import SLOT_TITLES, CalendarView, DayCell, calendar_labels
from taper.catalogue import ENGLISH

#: DejaVu Sans, embedded (subset) in every PDF: Latin, Greek, Cyrillic, Hebrew and Arabic names print
#: as written. It has no CJK: those characters print as MISSING, never as black boxes.
FONT_DIR = Path(__file__).parent / "fonts"
FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
MISSING = "?"
_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_ARABIC = re.compile(r"[\u0600-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def _register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


_register_fonts()


@cache
def _covered() -> frozenset[int]:
    """Code points the embedded font can draw (regular and bold cover the same scripts)."""
    font = pdfmetrics.getFont(FONT)
    return frozenset(font.face.charToGlyph)


@lru_cache(maxsize=16384)
def printable(text: str) -> str:
    """``text`` as the PDF can show it: right-to-left runs in reading order (Hebrew reordered, Arabic also
    shaped), and characters the font lacks (CJK) as ``?`` instead of boxes."""
    if text.isascii():
        return text
    if _RTL.search(text):
        from bidi import get_display

        if _ARABIC.search(text):
            import arabic_reshaper

            text = arabic_reshaper.reshape(text)
        text = get_display(text)
    covered = _covered()
    return "".join(c if ord(c) in covered or c.isspace() else MISSING for c in text)


def missing_glyphs(text: str) -> set[str]:
    """Characters of ``text`` the embedded font cannot draw (a language's catalogue must have none)."""
    covered = _covered()
    return {c for c in text if ord(c) not in covered and not c.isspace()}


def _missing_note(texts: list[str], st: dict[str, ParagraphStyle], labels: dict[str, str] | None = None
                  ) -> list[Any]:
    """Say so on the paper when a name or note has letters this font cannot print (shown as "?")."""
    if not any(MISSING in printable(t) and MISSING not in t for t in texts):
        return []
    return [_p((labels or _ENGLISH_LABELS())["missing"].format(missing=MISSING), st["small"])]


@cache
def _ENGLISH_LABELS() -> dict[str, str]:  # noqa: N802 - a constant, built once
    return calendar_labels(ENGLISH)


_UNIT = re.compile(rf"(\d) ({UNITS_AFTER_NUMBERS}|minutes)\b")


def escape(text: str) -> str:
    """XML-escape for Paragraph, keeping each number on the same line as its unit (N4)."""
    return _UNIT.sub(lambda m: f"{m.group(1)}&nbsp;{m.group(2)}", _escape(printable(text)))


DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _styles(large: bool) -> dict[str, ParagraphStyle]:
    body = 16 if large else 12
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=body + 8, leading=(body + 8) * 1.25),
        "h2": ParagraphStyle("h2", fontName=BOLD, fontSize=body + 3, leading=(body + 3) * 1.3, spaceBefore=8),
        "body": ParagraphStyle("body", fontName=FONT, fontSize=body + 1, leading=(body + 1) * 1.3),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=body, leading=body * 1.25),
        "dose": ParagraphStyle("dose", fontName=BOLD, fontSize=body, leading=body * 1.25),
        "banner": ParagraphStyle("banner", fontName=BOLD, fontSize=body, leading=body * 1.25, borderWidth=1,
                                 borderColor=colors.black, borderPadding=2, spaceAfter=3),
        "date": ParagraphStyle("date", fontName=BOLD, fontSize=body, leading=body * 1.3),
        "small": ParagraphStyle("small", fontName=FONT, fontSize=max(9, body - 3), leading=max(9, body - 3) * 1.3),
    }


def _page_size(paper: str, wide: bool) -> tuple[float, float]:
    size = A4 if paper == "a4" else letter
    return landscape(size) if wide else size


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _running(name: str, footer: str, styles: dict[str, ParagraphStyle]) -> Any:
    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        width, height = doc.pagesize
        canvas.setFont(BOLD, 11)
        room = width - doc.leftMargin - doc.rightMargin
        number_room = canvas.stringWidth("Page 9999 of 9999", FONT, 9) + 12
        canvas.drawString(doc.leftMargin, height - 0.45 * inch, _fit(printable(name), BOLD, 11, room - number_room))
        canvas.setFont(FONT, 9)
        lines = footer_lines(footer, room)
        for i, text in enumerate(lines):
            canvas.drawString(doc.leftMargin, 0.35 * inch + (len(lines) - 1 - i) * 11, text)
        canvas.restoreState()
    return draw


def footer_lines(footer: str, room: float) -> list[str]:
    """The footer's parts ("Prescriber ...", "Pharmacy ...", "Printed ...") packed into lines that fit."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    for part in (_fit(p, FONT, 9, room) for p in printable(footer).split(" · ")):
        candidate = f"{line} · {part}" if line else part
        if line and stringWidth(candidate, FONT, 9) > room:
            lines.append(line)
            line = part
        else:
            line = candidate
    lines.append(line)
    return lines


def _bottom_margin(footer: str, page_width: float, side: float) -> float:
    """Room under the text for the footer: its lines never overlap the last line of a page."""
    lines = len(footer_lines(footer, page_width - 2 * side))
    return 0.6 * inch + max(0, lines - 2) * 11  # two lines fit the standard margin; each more takes 11 pt


class _NumberedCanvas(Canvas):
    """Holds the pages until the end, then writes "Page X of Y" on each (one layout pass)."""

    page_label = "Page {number} of {total}"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT  # never Helvetica, even unset
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            width, height = self._pagesize
            self.setFont(FONT, 9)
            self.drawRightString(width - 0.4 * inch, height - 0.45 * inch,
                                 printable(self.page_label.format(number=number, total=total)))
            super().showPage()
        super().save()


class _Doc(SimpleDocTemplate):
    def build_counted(self, make_story: Any, on_page: Any, page_label: str | None = None) -> None:
        canvas = _NumberedCanvas if page_label is None else type("_Numbered", (_NumberedCanvas,),
                                                                  {"page_label": page_label})
        self.build(make_story(), onFirstPage=on_page, onLaterPages=on_page, canvasmaker=canvas)


@lru_cache(maxsize=8192)
def _width(word: str, font: str, size: float) -> float:
    """Width of a word and its following space (words repeat across a calendar: cache them)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(word + " ", font, size))


def _pieces(word: str, font: str, size: float, room: float) -> list[str]:
    """A word that fits, or the word broken into pieces that each fit (a 200-letter name must not spill)."""
    if _width(word, font, size) <= room:
        return [word]
    if "-" in word.strip("-"):  # "extended-release": break after the hyphen, not inside a part
        parts = [p + "-" for p in word.split("-")[:-1]] + [word.split("-")[-1]]
        return [piece for part in parts if part for piece in _pieces(part, font, size, room)]
    from reportlab.pdfbase.pdfmetrics import stringWidth

    pieces, piece = [], ""
    for char in word:
        if piece and stringWidth(piece + char + " ", font, size) > room:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece] if piece else pieces


def _fit(text: str, font: str, size: float, room: float) -> str:
    """``text``, shortened with "…" when it is wider than ``room`` (a running header has one line)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= room:
        return text
    while text and stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text + "…"


class RichLines(Flowable):
    """Short runs of plain and bold text, wrapped by word and drawn directly (day cells need speed).

    Each item is a list of (text, bold) runs that starts a new line, with an optional box to tick
    and an optional frame (for "NEW DOSE" banners). Numbers stay with their units (N4).
    """

    def __init__(self, items: list[tuple[list[tuple[str, bool]], bool, bool]], size: float) -> None:
        super().__init__()
        self.items = items
        self.size = size
        self.leading = size * 1.25
        self.lines: list[tuple[list[tuple[str, str]], float, bool, int]] = []
        self.height: float = 0.0
        self._wrapped_for: float | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self.lines and self._wrapped_for == avail_width:
            return avail_width, self.height
        self._wrapped_for = avail_width
        self.lines = []
        box = self.size * 0.8 + 4
        for number, (runs, tick, framed) in enumerate(self.items):
            indent = box if tick else (3 if framed else 0)
            room = avail_width - indent - (3 if framed else 0)
            words = [(w, BOLD if bold else FONT) for text, bold in runs for w in _UNIT.sub(
                lambda m: f"{m.group(1)}\u00a0{m.group(2)}", printable(text)).split(" ") if w]
            lines: list[list[tuple[str, str]]] = []
            line: list[tuple[str, str]] = []
            width = 0.0
            for word, font in words:
                for piece in _pieces(word, font, self.size, room):
                    w = _width(piece, font, self.size)
                    if line and width + w > room:
                        lines.append(line)
                        line, width = [], 0.0
                    line.append((piece, font))
                    width += w
            lines.append(line)
            for i, words_on_line in enumerate(lines):
                self.lines.append((words_on_line, indent, tick and i == 0, number if framed else -1))
        self.height = len(self.lines) * self.leading + 2
        self.width = avail_width
        return avail_width, self.height

    def draw(self) -> None:
        c = self.canv
        y = self.height - self.size
        frames: dict[int, list[float]] = {}
        text = c.beginText(0, y)
        for words, indent, tick, frame in self.lines:
            if tick:
                c.rect(0, y - 1, self.size * 0.8, self.size * 0.8, stroke=1, fill=0)
            if frame >= 0:
                top = y + self.size
                frames.setdefault(frame, [top, top])[1] = y - (self.leading - self.size)
            text.setTextOrigin(indent, y)
            run_font: str | None = None
            run: list[str] = []
            for word, font in words + [("", "")]:
                if font != run_font:
                    if run:
                        text.setFont(run_font, self.size)
                        text.textOut(" ".join(run).replace("\u00a0", " ") + " ")
                    run_font, run = font, []
                run.append(word)
            y -= self.leading
        c.drawText(text)
        for top, bottom in frames.values():
            c.rect(0, bottom - 1, self.width, top - bottom, stroke=1, fill=0)


def _cell(cell: DayCell, st: dict[str, ParagraphStyle], labels: dict[str, str]) -> list[Any]:
    """A day: its date, banners, dose lines (each with its English line in another language), supports."""
    size = st["cell"].fontSize
    if not cell.in_range:
        return [RichLines([([(f"{cell.day.day}", False)], False, False)], size - 3)]
    label = cell.label or f"{DAYS[cell.day.weekday()]} {cell.day.day}"
    flowables: list[Any] = []
    items: list[tuple[list[tuple[str, bool]], bool, bool]] = [([(label, True)], False, False)]

    def english(text: str) -> None:
        """The English line, smaller, right under the line it repeats."""
        nonlocal items
        flowables.append(RichLines(items, size))
        flowables.append(RichLines([([(f"{labels['english']} {text}", False)], False, False)], size - 3))
        items = []

    for i, banner in enumerate(cell.banners):
        items.append(([(banner, True)], False, True))
        if i < len(cell.banners_english):
            english(cell.banners_english[i])
    for line in cell.lines:
        title = line.title or SLOT_TITLES.get(line.slot, line.slot)
        items.append(([(f"{title}:", False), (line.text, True)], line.tick, False))
        if line.english:
            english(line.english)
    items += [([(text, False)], True, False) for text in cell.supports]
    if cell.follow_up:
        items.append(([(cell.follow_up, True)], False, False))
    if items:
        flowables.append(RichLines(items, size))
    return [*flowables, _anchors(cell.anchors, size - 3, cell.walk_tick)]


@lru_cache(maxsize=64)
def _anchors(lines: tuple[str, ...], size: float, walk_tick: bool) -> RichLines:
    """The check-in lines under a day (few distinct sets repeat across a calendar: shared flowables); the walk
    line, first when there is one, has a box to tick."""
    return RichLines([([(line, False)], walk_tick and i == 0, False) for i, line in enumerate(lines)], size)


def render_calendar(view: CalendarView, target: Any, paper: str = "letter") -> None:
    """Write the patient calendar to ``target`` (a path or a binary file object)."""
    st = _styles(view.large_print)
    size = _page_size(paper, wide=True)
    labels = view.labels or _ENGLISH_LABELS()
    bottom = _bottom_margin(view.footer, size[0], 0.4 * inch)
    doc = _Doc(target, pagesize=size, leftMargin=0.4 * inch, rightMargin=0.4 * inch, topMargin=0.65 * inch,
               bottomMargin=bottom, title=labels["document"], author="", subject="", creator="taper",
               producer="taper", invariant=1, lang=view.language)
    doc.build_counted(lambda: _calendar_story(view, st, size, labels, bottom),
                      _running(view.patient_name, view.footer, st), labels["page"])


def _calendar_story(view: CalendarView, st: dict[str, ParagraphStyle], size: tuple[float, float],
                    labels: dict[str, str], bottom: float) -> list[Any]:
    story: list[Any] = []
    cover = view.cover
    story.append(_p(cover.get("title") or f"Medication calendar for {cover['name']}", st["title"]))
    story.append(_p(cover.get("from") or f"From {cover['dates']}", st["body"]))
    for line in cover.get("notice", ()):
        story.append(_p(line, st["banner"]))
    story += _missing_note([view.patient_name, view.footer, *cover["goals"]], st, labels)
    for med in cover["medicines"]:
        story.append(_p(f"{med['drug']}" + (f", {med['purpose']}" if med["purpose"] else ""), st["h2"]))
        story.append(_p(med["goal"], st["body"]))
        story.append(_p(labels["your_medicine"].format(products=med["products"]), st["body"]))
    others = cover.get("others")
    if others and others["lines"]:
        story.append(_p(others["title"], st["h2"]))
        story.append(_p(others["advice"], st["body"]))
        for line in others["lines"]:
            story.append(_p(f"- {line}", st["body"]))
    if cover["goals"]:
        story.append(_p(labels["goals"], st["h2"]))
        for goal in cover["goals"]:
            story.append(_p(f"“{goal}”", st["body"]))
    story.append(_p(labels["how_to_use"], st["h2"]))
    for line in cover["how_to_use"]:
        story.append(_p(f"- {line}", st["body"]))
    box = [_p(labels["unwell"], st["h2"])]
    box += [_p(c, st["body"]) for c in cover["call"]] + [_p(d, st["body"]) for d in cover["do_not"]]
    table = Table([[box]], colWidths=[size[0] - 0.8 * inch - 12])
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.5, colors.black), ("LEFTPADDING", (0, 0), (-1, -1), 8),
                               ("FONTNAME", (0, 0), (-1, -1), FONT)]))
    story.append(Spacer(1, 8))
    story.append(table)
    frame_height = size[1] - 0.65 * inch - bottom - st["title"].leading - 30
    goal = [_p(view.goal_line, st["body"])] if view.goal_line else []
    if goal:
        frame_height -= goal[0].wrap(size[0] - 0.8 * inch, size[1])[1] + 2
    names = view.weekdays or DAYS
    for page in view.pages:
        columns = len(page.weeks[0])
        col = (size[0] - 0.8 * inch) / max(columns, 4)
        rows = [[_cell(c, st, labels) for c in week] for week in page.weeks]
        if max(_height(row, col, frame_height) for row in rows) > frame_height:
            # A week too tall for a page (a calendar in two languages, many medicines): fewer, wider days a page.
            story += _fewer_days(page.title, page.weeks, names, st, labels, size[0] - 0.8 * inch, frame_height,
                                 goal)
            continue
        for first, last, chunk in _pack(rows, col, frame_height):
            title = page.title
            if len(chunk) < len(rows):
                title = labels["weeks" if first != last else "week"].format(title=title, first=first, last=last,
                                                                             total=len(rows))
            story.append(PageBreak())
            story.append(_p(title, st["title"]))
            story += goal
            story.append(_grid(names, page.weeks[0], chunk, col, st))
    story.append(PageBreak())
    story.append(_p(labels["flare"], st["title"]))
    for key in ("day1", "day2", "day3"):
        if view.flare.get(key):
            story.append(KeepTogether([_p(labels[key], st["h2"]), _p(view.flare[key], st["body"])]))
    if view.flare.get("call_if"):
        story.append(_p(labels["call_if"], st["h2"]))
        story.append(_p(view.flare["call_if"], st["body"]))
    return story


GRID_STYLE = TableStyle([
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("GRID", (0, 0), (-1, -1), 0.8, colors.black),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
    ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
])


def _fewer_days(title: str, weeks: Any, names: Any, st: dict[str, ParagraphStyle], labels: dict[str, str],
                width: float, room: float, goal: list[Any]) -> list[Any]:
    """Pages of the fewest days that fit (4, 3, 2 or 1 a page), each titled with its first and last day."""
    days = [c for week in weeks for c in week if c.in_range]
    for per_page in (4, 3, 2, 1):
        col = width / per_page  # the last resort, one day, gets the whole width
        groups = [days[i:i + per_page] for i in range(0, len(days), per_page)]
        rows = [[_cell(c, st, labels) for c in group] for group in groups]
        if per_page == 1 or all(_height(row, col, room) <= room for row in rows):
            break
    story: list[Any] = []
    for group, row in zip(groups, rows, strict=True):
        span = group[0].label if len(group) == 1 else f"{group[0].label} – {group[-1].label}"
        story += [PageBreak(), _p(f"{title}: {span}", st["title"]), *goal, _grid(names, group, [row], col, st)]
    return story


def _grid(names: Any, heading: Any, rows: list[list[list[Any]]], col: float, st: dict[str, ParagraphStyle]) -> Table:
    """A grid of day cells under a row of weekday names."""
    head = [RichLines([([(names[c.day.weekday()], True)], False, False)], st["date"].fontSize) for c in heading]
    grid = Table([head, *rows], colWidths=[col] * len(heading), repeatRows=1, hAlign="LEFT")
    grid.setStyle(GRID_STYLE)
    return grid


def _height(row: list[list[Any]], col: float, room: float) -> float:
    """A week row's height: its tallest cell, with padding."""
    return max(sum(f.wrap(col - 6, room)[1] for f in cell) for cell in row) + 8


def _pack(rows: list[list[list[Any]]], col: float, room: float) -> list[tuple[int, int, list[list[list[Any]]]]]:
    """Split a month's week rows into pages by their measured height (as many weeks as fit)."""
    out: list[tuple[int, int, list[list[list[Any]]]]] = []
    chunk: list[list[list[Any]]] = []
    used = 0.0
    start = 1
    for number, row in enumerate(rows, start=1):
        height = _height(row, col, room)
        if chunk and used + height > room:
            out.append((start, number - 1, chunk))
            chunk, used, start = [], 0.0, number
        chunk.append(row)
        used += height
    if chunk:
        out.append((start, len(rows), chunk))
    return out


def render_summary(view: dict[str, Any], target: Any, paper: str = "letter") -> None:
    """The prescriber summary: regimen, findings, risk over time, plans, steps, dispensing, sign-off."""
    st = _styles(False)
    size = _page_size(paper, wide=False)
    doc = _Doc(target, pagesize=size, leftMargin=0.6 * inch, rightMargin=0.6 * inch, topMargin=0.7 * inch,
               bottomMargin=_bottom_margin(view["footer"], size[0], 0.6 * inch), title="Taper summary", author="",
               subject="", creator="taper",
               producer="taper", invariant=1)
    doc.build_counted(lambda: _summary_story(view, st, size[0] - 1.2 * inch),
                      _running(view["patient"], view["footer"], st))


def _summary_story(view: dict[str, Any], st: dict[str, ParagraphStyle], width: float) -> list[Any]:
    story: list[Any] = [_p(f"Taper summary: {view['patient']}", st["title"]), _p(view["patient_line"], st["body"])]
    if view.get("calendar_language"):
        story.append(_p(view["calendar_language"], st["small"]))
    story += _missing_note([view["patient"], view["patient_line"], view["footer"]], st)

    def text(value: str, bold: bool, size: float) -> RichLines:
        return RichLines([([(value, bold)], False, False)], size)

    def table(headers: list[str], rows: list[list[str]], widths: list[float]) -> Table:
        small = st["small"].fontSize
        data = [[text(h, True, small + 1) for h in headers]] + [[text(c, False, small) for c in r] for r in rows]
        t = Table(data, colWidths=[w * width for w in widths], repeatRows=1)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("FONTNAME", (0, 0), (-1, -1), FONT),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9))]))
        return t

    story.append(_p("Current regimen", st["h2"]))
    story.append(table(["Medication", "Dose and times", "Per day"], view["regimen"], [0.45, 0.35, 0.2]))
    story.append(_p("Review findings (by severity)", st["h2"]))
    if view["findings"]:
        story.append(table(["Severity", "Drugs", "Rule and advice"], view["findings"], [0.15, 0.25, 0.6]))
    else:
        story.append(_p("No interactions found in the curated table.", st["body"]))
    if view["not_screened"]:
        story.append(_p("Not screened: the formulary does not know these medicines, so no rule checked them",
                        st["h2"]))
        for line in view["not_screened"]:
            story.append(_p(line, st["body"]))
    for flag in view["flags"]:
        story.append(_p(flag, st["small"]))
    story.append(_p(f"Risk across the plan ({view['metric_sets']})", st["h2"]))
    story.append(_chart(view["trajectory"], width))
    story.append(table(["Date", "MME a day", "Diazepam eq. mg", "ACB", "Major findings"], view["trajectory_rows"],
                       [0.24, 0.19, 0.19, 0.19, 0.19]))
    for plan in view["plans"]:
        story.append(_p(plan["title"], st["h2"]))
        story.append(_p(plan["strategy"], st["body"]))
        story.append(_p(plan["rule_set"], st["body"]))
        story.append(table(["Step", "Dates", "Daily", "Products", "Cut", "Warnings"], plan["steps"],
                           [0.09, 0.24, 0.1, 0.32, 0.08, 0.17]))
        for line in plan.get("switches", ()):
            story.append(_p(line, st["body"]))
        for w in plan["warnings"]:
            story.append(_p(w, st["small"]))
        if plan["follow_ups"]:
            story.append(_p("Follow-ups: " + "; ".join(plan["follow_ups"]), st["small"]))
        checkins = plan.get("checkins") or {}
        if checkins.get("rows"):
            # The heading stays with its chart (never alone at the foot of a page).
            story.append(KeepTogether([_p("Check-ins against the dose", st["h2"]), _checkin_chart(checkins, width)]))
            story.append(table(["Date", "PEG", "Sleep", "Goal", "Withdrawal", "Walk min", "PHQ-2 / GAD-2",
                                "Self-harm", "Decision"], checkins["rows"],
                               [0.12, 0.08, 0.095, 0.085, 0.16, 0.09, 0.10, 0.14, 0.13]))
        story.append(_p("Dispensing per fill", st["h2"]))
        story.append(table(["Fill", "Products"], plan["fills"], [0.35, 0.65]))
    story.append(Spacer(1, 24))
    story.append(_p("Reviewed with the patient by: ______________________________   Date: ______________",
                    st["body"]))
    story.append(_p("Prescriber signature: ______________________________", st["body"]))
    return story


def _chart(points: list[dict[str, Any]], width: float) -> Drawing:
    height = 2.2 * inch
    drawing = Drawing(width, height)
    if len(points) < 2:
        drawing.add(String(10, height / 2, "Not enough dates to chart.", fontName=FONT, fontSize=10))
        return drawing
    start = points[0]["ordinal"]
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 40, 30, width - 60, height - 50
    mme = [(p["ordinal"] - start, p["mme_per_day"]) for p in points]
    de = [(p["ordinal"] - start, p["diazepam_equivalent_mg_per_day"]) for p in points]
    plot.data = [mme, de]
    plot.lines[0].strokeColor = colors.black
    plot.lines[0].strokeWidth = 2
    plot.lines[1].strokeColor = colors.black
    plot.lines[1].strokeDashArray = [4, 3]
    plot.xValueAxis.labelTextFormat = "day %d"
    plot.xValueAxis.labels.fontName = plot.yValueAxis.labels.fontName = FONT
    plot.yValueAxis.valueMin = 0
    drawing.add(plot)
    drawing.add(String(45, height - 12, "Solid line: MME a day. Dashed line: diazepam equivalents (mg a day).",
                       fontName=FONT, fontSize=9))
    return drawing


#: Line styles of the check-in series (black and white print): dash pattern and marker.
SERIES_STYLE = {"PEG": ([], "FilledCircle"), "Sleep": ([4, 2], "FilledSquare"), "Goal": ([1, 2], "FilledDiamond"),
                "Withdrawal": ([6, 2, 1, 2], "FilledTriangle")}


def _checkin_chart(view: dict[str, Any], width: float) -> Drawing:
    """Two panels on one day axis: the daily dose (holds shaded) above, the 0-10 scores below."""
    from reportlab.graphics.widgets.markers import makeMarker

    height = 3.8 * inch
    drawing = Drawing(width, height)
    span = view["span"]
    left, plot_width = 50, width - 70
    panels = ((height - 1.35 * inch, 1.05 * inch), (30, 1.6 * inch))
    dose_y, dose_h = panels[0]
    top = max(d for _, d in view["dose"]) or 1
    for start, end in view["holds"]:
        x0 = left + plot_width * start / span
        x1 = left + plot_width * min(end, span) / span
        drawing.add(Rect(x0, dose_y, max(x1 - x0, 1), dose_h, fillColor=colors.Color(0.85, 0.85, 0.85),
                         strokeColor=None))
    steps: list[tuple[float, float]] = []
    for x, d in view["dose"]:
        if steps:
            steps.append((x, steps[-1][1]))
        steps.append((x, d))
    dose = LinePlot()
    dose.x, dose.y, dose.width, dose.height = left, dose_y, plot_width, dose_h
    dose.data = [steps]
    dose.lines[0].strokeColor = colors.black
    dose.lines[0].strokeWidth = 2
    dose.xValueAxis.valueMin, dose.xValueAxis.valueMax = 0, span
    dose.xValueAxis.visibleLabels = 0
    dose.yValueAxis.valueMin, dose.yValueAxis.valueMax = 0, top * 1.1
    dose.yValueAxis.labels.fontName = FONT
    drawing.add(dose)
    drawing.add(String(left, dose_y + dose_h + 4, f"Daily dose ({view['unit']}); shaded: holds",
                       fontName=FONT, fontSize=9))
    score_y, score_h = panels[1]
    names = [n for n, pts in view["points"].items() if pts]
    scores = LinePlot()
    scores.x, scores.y, scores.width, scores.height = left, score_y, plot_width, score_h
    scores.data = [view["points"][n] for n in names] or [[(0, 0)]]
    for i, name in enumerate(names):
        dash, marker = SERIES_STYLE[name]
        scores.lines[i].strokeColor = colors.black
        scores.lines[i].strokeDashArray = dash or None
        scores.lines[i].symbol = makeMarker(marker, size=5)
    scores.xValueAxis.valueMin, scores.xValueAxis.valueMax = 0, span
    scores.xValueAxis.labelTextFormat = "day %d"
    scores.xValueAxis.labels.fontName = scores.yValueAxis.labels.fontName = FONT
    scores.yValueAxis.valueMin, scores.yValueAxis.valueMax, scores.yValueAxis.valueStep = 0, 10, 2
    drawing.add(scores)
    drawing.add(String(left, score_y + score_h + 14, f"Scores 0-10, days from {view['first']}: PEG (solid, circles), "
                       "sleep (dashes, squares),", fontName=FONT, fontSize=8))
    drawing.add(String(left, score_y + score_h + 4, "goal (dots, diamonds), withdrawal (dash-dot, triangles; other "
                       "scales shown as tenths of their range)", fontName=FONT, fontSize=8))
    return drawing

