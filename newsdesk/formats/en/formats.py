# The reader site's dates in English, as the templates name them
# ({{ value|date:"DATETIME_FORMAT" }}); what is not here comes from Django's.
DATE_FORMAT = "j F Y"  # 26 November 2026
DATETIME_FORMAT = "j F Y, H:i T"  # 26 November 2026, 14:05 UTC
SHORT_DATE_FORMAT = "j M Y"  # 26 Nov 2026
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 26 Nov 2026, 14:05
MONTH_DAY_FORMAT = "j M"  # 26 Nov
TIME_FORMAT = "H:i"  # 14:05
