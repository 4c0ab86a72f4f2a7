"""Reading a listings file (providers.csv_io): encodings, columns, sizes and row numbers."""

import pytest

from providers import csv_io
from providers.csv_io import ENCODING_MESSAGE, CsvFileError, plan_import, read_table
from tests.providers.test_csv_support import (
    csv_bytes,
    walk_row,
)

pytestmark = pytest.mark.usefixtures("uploads_in_tmp")


@pytest.mark.parametrize("bom", [True, False])
def test_reads_utf8_with_or_without_a_byte_order_mark(bom):
    table = read_table(data=csv_bytes([walk_row(description="Café £3, all welcome")], bom=bom))
    assert table.rows[0][1]["provider_name"] == "Riverside Leisure"
    assert table.rows[0][1]["description"] == "Café £3, all welcome"


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_refuses_a_file_in_another_encoding(encoding):
    data = csv_bytes([walk_row(description="Café £3")], encoding=encoding)
    with pytest.raises(CsvFileError) as error:
        read_table(data=data)
    assert str(error.value) == ENCODING_MESSAGE
    assert str(error.value) == (
        "The file must be saved as CSV UTF-8 (in Excel: File > Save As > CSV UTF-8)"
    )


@pytest.mark.parametrize("data", [b"", b"   \r\n", "\ufeff".encode()])
def test_refuses_an_empty_file(data):
    with pytest.raises(CsvFileError, match="The selected file is empty"):
        read_table(data=data)


def test_refuses_a_file_with_column_names_and_no_activities():
    with pytest.raises(CsvFileError, match="The file has no activities in it"):
        read_table(data=csv_bytes([]))


def test_names_the_missing_columns():
    columns = [c for c in csv_io.COLUMN_NAMES if c not in ("provider_name", "activity_type")]
    with pytest.raises(CsvFileError) as error:
        read_table(data=csv_bytes([walk_row()], columns=columns))
    assert str(error.value) == (
        "The file is missing these columns: provider_name, activity_type. "
        "Download the template to see the columns it needs"
    )


def test_names_one_missing_column():
    columns = [c for c in csv_io.COLUMN_NAMES if c != "activity_name"]
    with pytest.raises(CsvFileError, match="missing this column: activity_name"):
        read_table(data=csv_bytes([walk_row()], columns=columns))


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00 an xlsx workbook", "listings.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old xls", "listings.xls"),
        (b"provider_name,activity_name,activity_type\r\nA,B,Walking\r\n", "listings.xlsx"),
    ],
)
def test_refuses_a_spreadsheet_that_is_not_csv(data, filename):
    with pytest.raises(CsvFileError, match="The selected file must be a CSV"):
        read_table(data=data, filename=filename)


def test_refuses_a_csv_that_is_not_a_listings_file():
    with pytest.raises(CsvFileError, match="The first row must be the column names"):
        read_table(data=b"name,date,amount\r\nMilk,2024-01-01,1.20\r\n")


def test_refuses_semicolon_separated_columns():
    data = b"provider_name;activity_name;activity_type\nA;B;Walking\n"
    with pytest.raises(CsvFileError, match="must be separated by commas"):
        read_table(data=data)


def test_refuses_more_than_5000_activities():
    with pytest.raises(CsvFileError) as error:
        read_table(data=csv_bytes([walk_row(activity_name=f"Walk {n}") for n in range(5001)]))
    assert "5,000 activities or fewer. It has 5,001" in str(error.value)


def test_refuses_a_file_over_5mb():
    data = csv_bytes([walk_row(description="x" * 100_000) for _ in range(53)])
    assert len(data) > 5 * 1024 * 1024
    with pytest.raises(CsvFileError, match="must be smaller than 5MB"):
        read_table(data=data)


def test_refuses_a_column_given_twice():
    data = b"provider_name,activity_name,activity_type,postcode,Postcode\r\nA,B,Walking,x,y\r\n"
    with pytest.raises(CsvFileError, match="more than one postcode column"):
        read_table(data=data)


def test_column_names_may_be_written_as_people_write_them():
    data = b"Provider Name,Activity-Name,ACTIVITY_TYPE,Notes\r\nA,B,Walking,call Sam\r\n"
    table = read_table(data=data)
    assert table.rows == [
        (2, {"provider_name": "A", "activity_name": "B", "activity_type": "Walking"})
    ]
    assert table.ignored_columns == ["Notes"]


def test_rows_are_numbered_as_the_spreadsheet_shows_them(partnership_staff):
    # Row 3 is empty and row 4 has a cell over two lines: they still count as one row each.
    text = (
        "provider_name,activity_name,activity_type,description\r\n"
        "Club,Walk,Walking,fine\r\n"
        ",,,\r\n"
        'Club,Swim,Swimming,"two\r\nlines"\r\n'
        "Club,Jog,Jogginggg,oops\r\n"
    )
    plan = plan_import(table=read_table(data=text.encode()), user=partnership_staff)
    assert [(p.row, p.column) for p in plan.problems if p.column == "activity_type"] == [
        (5, "activity_type")
    ]
