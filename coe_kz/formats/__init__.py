"""Date and number formats per language (FORMAT_MODULE_PATH): English as the site always
wrote it (British order, "7 October 2023"), and Kazakh, for which Django has none. Russian
is Django's own. Dates in words, partial dates included, are coe_kz.dates' to write."""
