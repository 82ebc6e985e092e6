"""Money the Swedish way, in one place: reading typed amounts, kronor ↔ tkr, display rounding.

Amounts are stored as Decimal kronor. The board decides and the budget is shown in tkr; both are
rounded once, for display, half away from zero (as Swedish public accounts round). Forms, the
ledger and old-table imports, templates and exports all go through here.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.utils.formats import number_format

THOUSAND = Decimal(1000)
MINUS = "\u2212"  # the typographic minus sign, as printed amounts use it

NOT_A_NUMBER = "”{text}” är inte ett belopp. Skriv till exempel 1 250 eller 1 250,5."
DOT_AND_COMMA = (
    "”{text}”: skriv beloppet med mellanslag mellan tusental och komma före decimalerna, "
    "till exempel 1 250,5 (inte 1.250,5)."
)
DOT_GROUPING = (
    "”{text}” kan läsas både som tusental och som decimaler. Skriv 1 250 för tusental "
    "eller 1,250 för decimaler."
)

# The largest amount, in kronor, that one typed or imported figure may be: a line of a budget,
# an actual or a forecast (columns of 14 digits), a grant, an application's budget row or own
# contribution (columns of 12 digits). A förbund's whole year is around 10 mkr, so a thousand
# million kronor is already absurd; it also keeps every stored sum of such figures well inside
# its column, which a larger figure would overflow (and then no page could read it back).
MAX_AMOUNT = Decimal(1_000_000_000)
TOO_LARGE = "”{text}” är ett för stort belopp; högst {limit} kr tas emot."
FIELD_TOO_LARGE = "Beloppet är för stort; högst {limit} {unit} tas emot."

# Spaces people and spreadsheets put between thousands: space, no-break and narrow no-break.
_SPACES = re.compile(r"[\s\u00a0\u202f]")
# ASCII digits only: \d would also take other scripts' digits ("١٢"), which Decimal reads.
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class AmountError(ValueError):
    """A typed amount that cannot be read; the message is Swedish and names the text. ``code``
    says which rule it broke: "invalid", "dot_and_comma" or "dot_grouping"."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code


def parse_amount(raw) -> Decimal | None:
    """'1 250,5', '−1 250', '1250.5', 1250.5 → Decimal; '' or None → None.

    A comma is the decimal sign. A dot is read as one only where it cannot be a thousands
    separator: '1.250,5' is refused, and so is '1.250', which could be either.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise AmountError(NOT_A_NUMBER.format(text=raw))
    if isinstance(raw, int | Decimal | float):
        # Spreadsheet cells arrive as binary floats; their shortest repr is what was typed.
        amount = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        if not amount.is_finite():  # NaN or infinity: no amount at all
            raise AmountError(NOT_A_NUMBER.format(text=raw))
        return amount
    original = str(raw).strip()
    text = _SPACES.sub("", original).replace(MINUS, "-").replace("\u2013", "-")
    if not text:
        return None
    if "." in text and "," in text:
        raise AmountError(DOT_AND_COMMA.format(text=original), "dot_and_comma")
    if re.fullmatch(r"-?[0-9]{1,3}(\.[0-9]{3})+", text):
        raise AmountError(DOT_GROUPING.format(text=original), "dot_grouping")
    text = text.replace(",", ".")
    if not _NUMBER.fullmatch(text):
        raise AmountError(NOT_A_NUMBER.format(text=original))
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise AmountError(NOT_A_NUMBER.format(text=original)) from None


def check_amount(kronor: Decimal, *, text=None, maximum: Decimal = MAX_AMOUNT) -> Decimal:
    """The amount, or AmountError (code "too_large") when it is beyond ``maximum`` either way.
    ``text`` is the amount as the message names it (as typed)."""
    if abs(kronor) > maximum:
        shown = text if text is not None else format_kronor(kronor)
        raise AmountError(TOO_LARGE.format(text=shown, limit=format_kronor(maximum)), "too_large")
    return kronor


def tkr_to_kronor(tkr: Decimal) -> Decimal:
    return tkr * THOUSAND


def kronor_to_tkr(kronor: Decimal) -> Decimal:
    """Exact: 1 250 500 kr → 1250.5 tkr. Round only for display (`round_tkr`)."""
    return Decimal(kronor) / THOUSAND


def round_half_away(value: Decimal, places: int = 0) -> Decimal:
    """2,5 → 3 and −2,5 → −3: Decimal's ROUND_HALF_UP rounds ties away from zero."""
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def round_tkr(kronor: Decimal) -> Decimal:
    """Kronor to whole tkr for display: 458 500 → 459, −458 500 → −459."""
    return round_half_away(kronor_to_tkr(kronor))


def grouped(value: Decimal, places: int = 0) -> str:
    """Digits grouped the Swedish way (5 440 000), minus as the typographic minus sign."""
    text = number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
    return text.replace("-", MINUS)


def format_kronor(kronor) -> str:
    """5440000 → '5 440 000', −45 864,4 → '−45 864'."""
    if kronor is None or kronor == "":
        return ""
    return grouped(round_half_away(Decimal(kronor)))


def format_tkr(kronor) -> str:
    """Kronor shown in whole tkr: 5 440 000 → '5 440', −458 000 → '−458'."""
    if kronor is None or kronor == "":
        return ""
    return grouped(round_tkr(Decimal(kronor)))


def _as_typed(value: Decimal) -> str:
    """An amount as a person would type it back: no trailing zeros, grouped, comma decimals."""
    value = value.normalize()
    places = max(0, -value.as_tuple().exponent)
    text = number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
    return text.replace(MINUS, "-")


def tkr_input(kronor: Decimal | None) -> str:
    """Kronor as the tkr a user would type them: 5 440 000 → '5 440', 1 250 500 → '1 250,5'."""
    return "" if kronor is None else _as_typed(kronor_to_tkr(kronor))


def kronor_input(kronor: Decimal | None) -> str:
    """Kronor as typed: grouped, öre only where there are any: '1 250 000', '1 250,50'."""
    if kronor is None:
        return ""
    if kronor == kronor.to_integral_value():
        return _as_typed(kronor.to_integral_value())
    return number_format(kronor, decimal_pos=2, use_l10n=True, force_grouping=True)


class KronorField(forms.DecimalField):
    """Kronor typed the Swedish way: '1 250,50' → Decimal('1250.50'); not negative by default."""

    widget = forms.TextInput
    unit = "kr"
    default_error_messages = {
        "invalid": "Ange ett belopp i kronor, till exempel 125 000 eller 1 250,50.",
    }

    def __init__(self, *, maximum: Decimal = MAX_AMOUNT, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.maximum = maximum  # kronor, whatever unit the field is typed in

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            amount = parse_amount(value)
        except AmountError as error:
            # Plain nonsense gets the field's own hint (kronor or tkr); a dot gets the reason.
            message = self.error_messages["invalid"] if error.code == "invalid" else str(error)
            raise forms.ValidationError(message, code=error.code) from None
        return super().to_python(amount)

    def validate(self, value):
        super().validate(value)
        if value is not None and abs(value) > self.maximum:
            limit = self.prepare_value(self.maximum)
            raise forms.ValidationError(
                FIELD_TOO_LARGE.format(limit=limit, unit=self.unit), code="too_large"
            )

    def prepare_value(self, value):
        if isinstance(value, Decimal | int):
            return kronor_input(Decimal(value))
        return value

    def widget_attrs(self, widget):
        # A text field with a numeric keyboard: type="number" would refuse "1 250,50".
        attrs = super().widget_attrs(widget)
        for name in ("min", "max", "step"):
            attrs.pop(name, None)
        return {**attrs, "inputmode": "decimal"}


class TkrField(KronorField):
    """An amount typed in tkr, as the board decides and the budget is written: '450' or
    '1 250,5'. It hands back kronor (Decimal('1250500')) and shows kronor as tkr, so forms and
    services never multiply by 1 000 themselves."""

    unit = "tkr"
    default_error_messages = {"invalid": "Ange beloppet i tkr, till exempel 450 eller 1 250,5."}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 3)  # whole kronor
        super().__init__(**kwargs)

    def to_python(self, value):
        tkr = super().to_python(value)
        return None if tkr is None else tkr_to_kronor(tkr)

    def run_validators(self, value):
        # The limits (min_value, decimal places) are on what was typed, in tkr.
        super().run_validators(None if value is None else kronor_to_tkr(value))

    def prepare_value(self, value):
        if isinstance(value, Decimal | int):
            return tkr_input(Decimal(value))
        return value
