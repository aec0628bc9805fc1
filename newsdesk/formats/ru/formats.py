# The reader site's dates in Russian: the month in the genitive ("26 ноября
# 2026", format character E), as Russian news sites write it, and without
# Django's abbreviation of "year" after it; what is not here comes from Django's.
DATE_FORMAT = "j E Y"  # 26 ноября 2026
DATETIME_FORMAT = "j E Y, H:i T"  # 26 ноября 2026, 14:05 UTC
SHORT_DATE_FORMAT = "j E Y"  # 26 ноября 2026
SHORT_DATETIME_FORMAT = "j E Y, H:i"  # 26 ноября 2026, 14:05
MONTH_DAY_FORMAT = "j E"  # 26 ноября
TIME_FORMAT = "H:i"  # 14:05
