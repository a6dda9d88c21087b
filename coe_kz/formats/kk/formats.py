"""Kazakh formats (Django has none): "2023 ж. 7 қазан", "07.10.2023"; a comma for the
decimals and a no-break space between thousands, as in Russian. Month names come from
the translations (Django's own Kazakh catalogue, capitalised there; ours in locale/)."""

DATE_FORMAT = "Y ж. j F"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y ж. j F, H:i"
YEAR_MONTH_FORMAT = "Y ж. F"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # no-break space
NUMBER_GROUPING = 3
