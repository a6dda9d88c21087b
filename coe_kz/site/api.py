"""Read-only JSON API: the CSV datasets, with the same columns, rows and filters.

Each dataset in coe_kz.site.datasets gets one paginated list endpoint, /api/<dataset>/, and
one endpoint per row where it has a primary key (/api/treaties/141/, /api/participations/16/
roman-vassilenko/, /api/status/treaty/141/?as_of=2015-06-30). Its
serializer is built from the dataset's columns (the same getters the CSV uses) and its
rows from `Dataset.select`, so the API cannot drift from the exports. Values are typed
JSON: numbers, booleans, ISO days, lists for many-valued cells, and text as stored
(formula neutralising is for spreadsheets, not JSON).
"""

from contextlib import contextmanager

from django import forms
from django.utils import translation
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import generics, serializers
from rest_framework.decorators import api_view, permission_classes, renderer_classes, schema
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.utils.urls import remove_query_param

from coe_kz import languages
from coe_kz.csvexport import Column
from coe_kz.datasets import Dataset
from coe_kz.listing import get_page
from coe_kz.params import LANG, BadParameters, is_tracking, language_of, whole_number
from coe_kz.site.datasets import DATASETS

# What the API takes besides a dataset's own parameters and its page number (the page
# size, and DRF's format override); a dataset's filters never use these names.
API_PARAMS = ("page_size", "format")


@contextmanager
def in_language_of(request):
    """Rows serialized in the language `lang` asks for (English by default): a model
    instance's translated fields read in it (datasets read as records choose their columns
    themselves, coe_kz.datasets.Records). A `lang` no language has is a 400."""
    try:
        language = language_of(request.query_params)
    except BadParameters as error:
        raise ParseError(str(error)) from None
    with translation.override(language):
        yield


class _FromColumn:
    """A read-only serializer field that reads its value with a CSV column's getter."""

    def __init__(self, column: Column, **kwargs):
        self.column = column
        # null exactly where the column may hold no value (a date bound, a hidden key).
        super().__init__(read_only=True, allow_null=column.nullable, help_text=column.description, **kwargs)

    def get_attribute(self, instance):
        return self.column.get(instance)


class ColumnCharField(_FromColumn, serializers.CharField):
    pass


class ColumnChoiceField(_FromColumn, serializers.ChoiceField):
    pass


class ColumnIntegerField(_FromColumn, serializers.IntegerField):
    pass


class ColumnDateField(_FromColumn, serializers.DateField):
    pass


class ColumnBooleanField(_FromColumn, serializers.BooleanField):
    pass


class ColumnListField(_FromColumn, serializers.ListField):
    pass


SCALAR_FIELDS = {
    "integer": (ColumnIntegerField, serializers.IntegerField),
    "date": (ColumnDateField, serializers.DateField),
    "boolean": (ColumnBooleanField, serializers.BooleanField),
    "string": (ColumnCharField, serializers.CharField),
}


def column_field(column: Column) -> serializers.Field:
    column_class, plain_class = SCALAR_FIELDS[column.type]
    if column.many:
        return ColumnListField(column, child=plain_class())
    if column.codes:
        # A code left unset (a step's consent) is "", documented beside the codes.
        return ColumnChoiceField(column, choices=column.codes, allow_blank=column.blank)
    return column_class(column)


def serializer_for(dataset: Dataset) -> type[serializers.Serializer]:
    """A serializer whose fields are the dataset's columns, in the CSV's order."""
    name = "".join(part.title() for part in dataset.name.split("_"))
    fields = {column.name: column_field(column) for column in dataset.columns}
    return type(f"{name}Serializer", (serializers.Serializer,), fields)


# --- The OpenAPI document (drf-spectacular): what each endpoint takes and answers.


class Refusal(serializers.Serializer):
    detail = serializers.CharField(help_text="What is wrong, in the words of the site's 400 and 404 pages.")


REFUSED = OpenApiResponse(
    Refusal,
    description="Bad parameters: an unknown parameter, a value a filter does not take, a key that "
    "names no published record, or a page the list does not have.",
)
NOT_FOUND = OpenApiResponse(Refusal, description="No row the public may see has this key.")


# An empty parameter is taken as an absent one (no filter, the first page), as the list
# pages' forms send it; a string schema with no pattern already allows it.
EMPTY = {"type": "string", "enum": [""]}


def or_empty(schema: dict) -> dict:
    return {"oneOf": [schema, EMPTY]}


def parameter_schema(field: forms.Field | None) -> dict:
    """The values a filter's form field takes, as a query parameter's JSON Schema."""
    if isinstance(field, forms.ModelChoiceField):
        return {"type": "string"}  # a record's key: whether one has it is the data's to say
    if isinstance(field, forms.ChoiceField):
        return {"type": "string", "enum": [value for value, _ in field.choices]}  # "" among them
    if isinstance(field, forms.IntegerField):
        bounds = {"minimum": field.min_value, "maximum": field.max_value}
        return or_empty({"type": "integer", **{name: n for name, n in bounds.items() if n is not None}})
    if isinstance(field, forms.DateField):
        return or_empty({"type": "string", "format": "date"})
    if isinstance(field, forms.CharField) and field.max_length:
        return {"type": "string", "maxLength": field.max_length}
    return {"type": "string"}


class DatasetPagination(PageNumberPagination):
    """Pages as the HTML lists number them: a page number that is not a whole number, or
    names no page, is a 400 saying so in the list pages' words (DRF's own answer is a 404
    "Invalid page."); so is a page size that is not a whole number from 1 to the maximum
    (DRF would silently fall back to the default or cut it down)."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    page_size_query_description = (
        f"Rows per page: a whole number from 1 to {max_page_size} ({page_size} if absent)."
    )
    # No "?page=last": the list pages take page numbers only, and so does the API.
    last_page_strings = ()

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param, "")
        if value == "":
            return self.page_size
        size = whole_number(value)
        if size is None or not 1 <= size <= self.max_page_size:
            raise ParseError(
                f"{self.page_size_query_param}: “{value}” is not a page size; "
                f"use a whole number from 1 to {self.max_page_size}."
            )
        return size

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        try:
            self.page = get_page(paginator, request.query_params.get(self.page_query_param))
        except BadParameters as error:
            raise ParseError(str(error)) from None
        return list(self.page)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "in": "query",
                "required": False,
                "description": "Which page: a whole number from 1 up to the list's last page (1 if absent).",
                "schema": or_empty({"type": "integer", "minimum": 1}),
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": self.page_size_query_description,
                "schema": or_empty({"type": "integer", "minimum": 1, "maximum": self.max_page_size}),
            },
        ]

    def get_next_link(self):
        return self._untracked(super().get_next_link())

    def get_previous_link(self):
        return self._untracked(super().get_previous_link())

    def _untracked(self, url: str | None) -> str | None:
        # DRF builds its links from the address as requested; the gate dropped tracking.
        for name in self.request.query_params:
            if url and is_tracking(name):
                url = remove_query_param(url, name)
        return url


LANG_PARAMETER = OpenApiParameter(
    LANG,
    or_empty({"type": "string", "enum": languages.codes()}),
    OpenApiParameter.QUERY,
    description="The language of the translated text columns (titles, names, summaries, notes, "
    "reasons), falling back to English where a text has no translation; English when absent. "
    "Columns, codes, keys, dates and quotes are the same in every language.",
)


class DatasetSchema(AutoSchema):
    """Documents a dataset endpoint: its description, its FilterSet's parameters with the
    values each takes, and its answers: a page of rows, or a 400 saying what is wrong."""

    def get_override_parameters(self):
        dataset = self.view.dataset
        fields = dataset.parameter_fields()
        return [
            OpenApiParameter(
                name, parameter_schema(fields.get(name)), OpenApiParameter.QUERY, description=meaning
            )
            for name, meaning in dataset.parameters()
        ] + [LANG_PARAMETER]

    def get_response_serializers(self):
        return {200: super().get_response_serializers(), 400: REFUSED}

    def get_description(self):
        return self.view.dataset.description


class DatasetList(generics.ListAPIView):
    """One dataset's rows, filtered by its list page's parameters, a page at a time."""

    dataset: Dataset
    renderer_classes = [JSONRenderer]
    # Public, read-only data: no sessions, so no CSRF or login involved.
    authentication_classes = []
    permission_classes = [AllowAny]
    pagination_class = DatasetPagination
    schema = DatasetSchema()

    def get_queryset(self):
        try:
            return self.dataset.select_in_language(self.request.query_params, *API_PARAMS).rows
        except BadParameters as error:
            raise ParseError(str(error)) from None

    def list(self, request, *args, **kwargs):
        with in_language_of(request):
            return super().list(request, *args, **kwargs)


# What one row's address takes besides its dataset's own parameters: DRF's format override.
RECORD_API_PARAMS = ("format",)
PATH_TYPES = {"integer": OpenApiTypes.INT, "string": OpenApiTypes.STR}


class RecordSchema(AutoSchema):
    """Documents one row's endpoint: its key in the path, typed as the key's columns, what
    it takes besides, and its answers: the row, a 400, or a 404 when there is no such row."""

    def get_override_parameters(self):
        dataset = self.view.dataset
        columns = {column.name: column for column in dataset.columns}
        fields = dataset.parameter_fields()
        return (
            [
                OpenApiParameter(
                    name,
                    PATH_TYPES[columns[name].type],
                    OpenApiParameter.PATH,
                    description=columns[name].description,
                )
                for name in dataset.primary_key
            ]
            + [
                OpenApiParameter(
                    name, parameter_schema(fields.get(name)), OpenApiParameter.QUERY, description=meaning
                )
                for name, meaning in dataset.record_parameters()
            ]
            + [LANG_PARAMETER]
        )

    def get_response_serializers(self):
        return {200: super().get_response_serializers(), 400: REFUSED, 404: NOT_FOUND}

    def get_description(self):
        return f"One row of {self.view.dataset.name}, by its key; a 404 when the public sees no such row."


class DatasetRecord(generics.RetrieveAPIView):
    """One row of a dataset, by its primary key, with the list's columns."""

    dataset: Dataset
    renderer_classes = [JSONRenderer]
    authentication_classes = []
    permission_classes = [AllowAny]
    schema = RecordSchema()

    def retrieve(self, request, *args, **kwargs):
        with in_language_of(request):
            return super().retrieve(request, *args, **kwargs)

    def get_object(self):
        key = tuple(self.kwargs[name] for name in self.dataset.primary_key)
        try:
            row = self.dataset.record(key, self.request.query_params, *RECORD_API_PARAMS)
        except BadParameters as error:
            raise ParseError(str(error)) from None
        if row is None:
            raise NotFound(self.dataset.missing(key))
        return row


def _view(dataset: Dataset, base: type, kind: str):
    """The API view of `dataset` on `base`, named after its serializer (EventList,
    EventRecord): the schema's operation names and descriptions come from it."""
    serializer = serializer_for(dataset)
    with translation.override(languages.ORIGINAL):  # the API's documentation is in English
        doc = str(dataset.description)
    view = type(
        serializer.__name__.replace("Serializer", kind),
        (base,),
        {"dataset": dataset, "serializer_class": serializer, "__doc__": doc},
    )
    return view.as_view()


def dataset_view(dataset: Dataset):
    return _view(dataset, DatasetList, "List")


def record_view(dataset: Dataset):
    return _view(dataset, DatasetRecord, "Record")


@api_view(["GET", "HEAD"])
@renderer_classes([JSONRenderer])
@permission_classes([AllowAny])
@schema(None)
def root(request):
    """Where each dataset's endpoint is, and the OpenAPI schema."""
    links = {name: reverse(f"api:{name}", request=request) for name in DATASETS}
    return Response({**links, "schema": reverse("api:schema", request=request)})


@api_view(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@renderer_classes([JSONRenderer])
@permission_classes([AllowAny])
@schema(None)
def not_found(request, path):
    """Any other address under /api/: a JSON 404, not the site's HTML page."""
    raise NotFound(f"There is no endpoint /api/{path}; {reverse('api:root', request=request)} lists them.")
