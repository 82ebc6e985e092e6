"""Workbooks of the follow-up, written with XlsxWriter: the insatser list (values, small counts
as "<5") and the register file the insats staff fill in (coded columns as drop-down lists)."""

import datetime
import io

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from applications.models import Initiative
from finsam.models import Association
from finsam.money import kronor_to_tkr
from finsam.spreadsheets import WORKBOOK_OPTIONS, sheet_text
from followup.models import MAX_AGE, MIN_AGE, Participant
from followup.register_file import CHOICES, COLUMNS, DATES, MAX_ROWS, SHEET
from followup.suppression import is_small, shown

HEADER = {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79", "valign": "vcenter"}


def _workbook(buffer, title: str) -> xlsxwriter.Workbook:
    options = {"in_memory": True, "remove_timezone": True, **WORKBOOK_OPTIONS}
    workbook = xlsxwriter.Workbook(buffer, options)
    workbook.set_properties({"title": sheet_text(title), "author": "Finsam", "creator": "Finsam"})
    return workbook


def initiative_list_xlsx(initiatives, *, year: int, association: Association) -> bytes:
    """The filtered insatser, one per row: a header row that stays in view, an autofilter, dates
    as dates, tkr as numbers, and participants 1–4 as the text "<5"."""
    buffer = io.BytesIO()
    workbook = _workbook(buffer, f"Insatser – {association.name}")
    sheet = workbook.add_worksheet("Insatser")
    header = workbook.add_format(HEADER)
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    tkr = workbook.add_format({"num_format": "# ##0"})
    right = workbook.add_format({"align": "right"})
    columns = [
        ("Insats", 44),
        ("Huvudman", 24),
        ("Inriktning", 20),
        ("Från", 12),
        ("Till", 12),
        ("Status", 44),
        ("Avslutad", 12),
        (f"Beviljat {year} (tkr)", 16),
        (f"Deltagare {year}", 14),
    ]
    for column, (title, width) in enumerate(columns):
        sheet.write_string(0, column, title, header)
        sheet.set_column(column, column, width)
    row = 0
    for row, initiative in enumerate(initiatives, start=1):
        sheet.write_string(row, 0, sheet_text(initiative.name))
        sheet.write_string(row, 1, sheet_text(initiative.owner.name))
        sheet.write_string(row, 2, initiative.get_orientation_display())
        sheet.write_datetime(row, 3, _midnight(initiative.period_start), day)
        sheet.write_datetime(row, 4, _midnight(initiative.period_end), day)
        sheet.write_string(row, 5, initiative.get_state_display())
        if initiative.ended_on:
            sheet.write_datetime(row, 6, _midnight(initiative.ended_on), day)
        if initiative.granted_in_year:
            sheet.write_number(row, 7, float(kronor_to_tkr(initiative.granted_in_year)), tkr)
        participants = initiative.participants_in_year
        if is_small(participants):
            sheet.write_string(row, 8, shown(participants), right)
        else:
            sheet.write_number(row, 8, participants)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(row, 1), len(columns) - 1)
    sheet.repeat_rows(0)
    if row:
        sheet.write_string(row + 2, 0, "Antal deltagare 1–4 visas som <5.")
    workbook.close()
    return buffer.getvalue()


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time())


INSTRUCTIONS = [
    "Deltagarregistret för {initiative}",
    "",
    "Registret är anonymt. Skriv aldrig namn, personnummer eller annat som pekar ut en person. "
    "Det finns inga fritextfält, eftersom fri text lockar till namn.",
    "En rad per deltagare på bladet Deltagare. Lämna Kod tom för en ny deltagare: Finsam ger "
    "koden (D-0001, D-0002 …) när filen läses in.",
    "Raderna med kod är de deltagare som redan finns. Ändra dem bara för att rätta eller för att "
    "fylla i avslutet; deltagare som saknas i filen lämnas som de är.",
    "Kön, utbildning, försörjning, sysselsättning, tid med offentlig försörjning och "
    "avslutsorsak väljs i listan i cellen.",
    "Födelseår skrivs ÅÅÅÅ; deltagaren ska vara {min_age}–{max_age} år det år hen börjar.",
    "Startdatum ska ligga inom insatsens period, {start} – {end}. Datum skrivs ÅÅÅÅ-MM-DD.",
    "Slutdatum, avslutsorsak, försörjning vid avslut och sysselsättning vid avslut fylls i "
    "alla eller inga.",
    "Finsam läser in alla rader eller ingen: en rad med fel visas med radnummer och orsak, och "
    "ingenting sparas förrän filen är rättad. Högst {max_rows} deltagare per fil.",
]


def register_template_xlsx(initiative: Initiative, participants: list[Participant]) -> bytes:
    """The register file for an insats: its participants so far (with their codes), room for
    new ones, a drop-down list in every coded column, dates and years checked as they are
    typed, and the rules on a sheet of their own."""
    buffer = io.BytesIO()
    workbook = _workbook(buffer, f"Deltagarregister – {initiative.name}")
    sheet = workbook.add_worksheet(SHEET)
    guide = workbook.add_worksheet("Så fyller du i")
    lists = workbook.add_worksheet("Listor")
    header = workbook.add_format({**HEADER, "text_wrap": True})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    title = workbook.add_format({"bold": True, "font_size": 14})

    # The lists the coded columns choose from, one column each on a hidden sheet.
    sources = {}
    for column, (name, choices) in enumerate(CHOICES.items()):
        labels = [str(label) for label in choices.labels]
        lists.write_string(0, column, name)
        for index, text in enumerate(labels, start=1):
            lists.write_string(index, column, text)
        letter = xl_col_to_name(column)
        sources[name] = f"=Listor!${letter}$2:${letter}${len(labels) + 1}"
    lists.hide()

    last_row = MAX_ROWS  # rows 1 … MAX_ROWS below the header (0-based: 1 … MAX_ROWS)
    for column, (key, text) in enumerate(COLUMNS):
        sheet.write_string(0, column, text, header)
        width = 12 if key in ("code", "birth_year", *DATES) else 24
        sheet.set_column(column, column, width, day if key in DATES else None)
        if key in CHOICES:
            sheet.data_validation(
                1,
                column,
                last_row,
                column,
                {
                    "validate": "list",
                    "source": sources[key],
                    "error_title": text[:32],
                    "error_message": "Välj ett av värdena i listan.",
                },
            )
    sheet.set_row(0, 32)
    columns = {key: index for index, (key, _text) in enumerate(COLUMNS)}
    sheet.data_validation(
        1,
        columns["birth_year"],
        last_row,
        columns["birth_year"],
        {
            "validate": "integer",
            "criteria": "between",
            "minimum": initiative.period_start.year - MAX_AGE,
            "maximum": initiative.last_day.year - MIN_AGE,
            "error_title": "Födelseår",
            "error_message": f"Skriv året med fyra siffror; deltagaren ska vara "
            f"{MIN_AGE}–{MAX_AGE} år vid start.",
        },
    )
    for key, earliest, latest in (
        ("started_on", initiative.period_start, initiative.last_day),
        ("ended_on", initiative.period_start, datetime.date(2100, 12, 31)),
    ):
        sheet.data_validation(
            1,
            columns[key],
            last_row,
            columns[key],
            {
                "validate": "date",
                "criteria": "between",
                "minimum": _midnight(earliest),
                "maximum": _midnight(latest),
                "error_title": COLUMNS[columns[key]][1][:32],
                "error_message": f"Ett datum ÅÅÅÅ-MM-DD från {earliest:%Y-%m-%d}.",
            },
        )

    for row, participant in enumerate(participants, start=1):
        sheet.write_string(row, columns["code"], participant.code)
        for key, _text in COLUMNS[1:]:
            value = getattr(participant, key)
            if value in (None, ""):
                continue
            if key in DATES:
                sheet.write_datetime(row, columns[key], _midnight(value), day)
            elif key in CHOICES:
                sheet.write_string(row, columns[key], str(CHOICES[key](value).label))
            else:
                sheet.write_number(row, columns[key], value)
    sheet.freeze_panes(1, 1)
    sheet.activate()

    guide.set_column(0, 0, 110, wrap)
    values = {
        "initiative": sheet_text(initiative.name),
        "min_age": MIN_AGE,
        "max_age": MAX_AGE,
        "start": f"{initiative.period_start:%Y-%m-%d}",
        "end": f"{initiative.last_day:%Y-%m-%d}",
        "max_rows": f"{MAX_ROWS:,}".replace(",", "\u00a0"),
    }
    for row, text in enumerate(INSTRUCTIONS):
        guide.write_string(row, 0, text.format(**values), title if row == 0 else wrap)
    workbook.close()
    return buffer.getvalue()
