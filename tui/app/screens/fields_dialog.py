"""A small form in a dialog: labelled fields, errors shown next to each, dismissed with the built value.

The builder uses it for pauses, setbacks, supports, follow-ups and overrides; the rules that turn
the text into a model live in :mod:`taper.plan_fields`, so this screen only shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static


@dataclass(frozen=True)
class Field:
    """One field: text (an Input), choice (a Select of (label, value)) or check (a Checkbox, "yes"/"no")."""

    id: str
    label: str
    kind: str = "text"
    placeholder: str = ""
    options: tuple[tuple[str, str], ...] = ()
    default: str = ""


class FieldsDialog(ModalScreen[Any]):
    """Dismisses with ``build(values)``'s value once it reports no errors, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel-fields")]

    def __init__(self, title: str, fields: list[Field],
                 build: Callable[[dict[str, str]], tuple[Any, Mapping[str, str]]],
                 values: Mapping[str, str] | None = None, note: str = "", ok: str = "OK") -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.build = build
        self.values = dict(values or {})
        self.note = note
        self.ok = ok

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="fields-dialog"):
            yield Static(self.title_text, classes="section", markup=False)
            if self.note:
                yield Static(self.note, id="fields-note", markup=False)
            for f in self.fields:
                value = self.values.get(f.id, f.default)
                if f.kind == "check":
                    yield Checkbox(f.label, value == "yes", id=f"field-{f.id}")
                else:
                    yield Label(f.label)
                    if f.kind == "choice":
                        yield Select[str](list(f.options), id=f"field-{f.id}", allow_blank=False,
                                          value=value or f.options[0][1], compact=True)
                    else:
                        yield Input(value, id=f"field-{f.id}", placeholder=f.placeholder, compact=True)
                yield Static("", id=f"error-{f.id}", classes="field-error", markup=False)
            yield Static("", id="error-form", classes="field-error", markup=False)
            with Horizontal(id="choices"):
                yield Button(self.ok, id="fields-ok", variant="primary")
                yield Button("Cancel", id="fields-cancel")

    def on_mount(self) -> None:
        self.query_one(f"#field-{self.fields[0].id}").focus()

    def read(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for f in self.fields:
            widget = self.query_one(f"#field-{f.id}")
            if isinstance(widget, Checkbox):
                out[f.id] = "yes" if widget.value else "no"
            elif isinstance(widget, Select):
                out[f.id] = str(widget.value) if isinstance(widget.value, str) else ""
            elif isinstance(widget, Input):
                out[f.id] = widget.value
        return out

    def submit(self) -> None:
        value, errors = self.build(self.read())
        known = {f.id for f in self.fields}
        for f in self.fields:
            line = self.query_one(f"#error-{f.id}", Static)
            line.update(errors.get(f.id, ""))
            line.display = f.id in errors
        rest = " ".join(m for k, m in errors.items() if k not in known)
        self.query_one("#error-form", Static).update(rest)
        self.query_one("#error-form", Static).display = bool(rest)
        if not errors:
            self.dismiss(value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "fields-ok":
            self.submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
