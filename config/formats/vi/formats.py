# Vietnamese administrative style: 03/3/2023, 14:05 03/3/2023, 8.000, 98,5.
DATE_FORMAT = "d/n/Y"
SHORT_DATE_FORMAT = "d/n/Y"
DATETIME_FORMAT = "H:i d/n/Y"
SHORT_DATETIME_FORMAT = "H:i d/n/Y"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j/n"
YEAR_MONTH_FORMAT = "n/Y"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1
