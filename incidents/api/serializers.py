"""Serializers of the structured records; every related object is already loaded."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from incidents.models import (
    Actor,
    ActorRole,
    Figure,
    FigureGroup,
    Incident,
    Metric,
    Place,
    Qualifier,
    Recommendation,
    RecommendationAction,
    RecommendationStatus,
    RecommendationUpdate,
)
from incidents.selectors import figure_ranges
from incidents.services import FIGURE_FIELDS, RECOMMENDATION_FIELDS
from newsdesk.api.briefs import (
    ApiLinkField,
    ArticleBriefSerializer,
    CountryCodeField,
    IdRelatedField,
    PageURLField,
    PersonBriefSerializer,
    SourceBriefSerializer,
)
from newsdesk.api.validation import CountryCodeInputField, WriteSerializer
from newsdesk.models import Article, Person, Source

# --- Brief shapes ----------------------------------------------------------------


class IncidentBriefSerializer(serializers.ModelSerializer):
    url = ApiLinkField(view_name="api:incident-detail")
    page_url = PageURLField()

    class Meta:
        model = Incident
        fields = ("id", "url", "page_url", "title", "kind", "start_date", "end_date")


class ActorBriefSerializer(serializers.ModelSerializer):
    url = ApiLinkField(view_name="api:actor-detail")

    class Meta:
        model = Actor
        fields = ("id", "url", "name", "kind")


class ActorInRoleSerializer(ActorBriefSerializer):
    note = serializers.CharField(read_only=True)

    class Meta(ActorBriefSerializer.Meta):
        fields = (*ActorBriefSerializer.Meta.fields, "note")


class ActorsByRoleSerializer(serializers.Serializer):
    perpetrator = ActorInRoleSerializer(many=True)
    target = ActorInRoleSerializer(many=True)
    responder = ActorInRoleSerializer(many=True)
    other = ActorInRoleSerializer(many=True)


class PlaceSerializer(serializers.ModelSerializer):
    url = ApiLinkField(view_name="api:place-detail")
    country = CountryCodeField()
    latitude = serializers.FloatField(read_only=True, allow_null=True)
    longitude = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Place
        fields = (
            "id",
            "url",
            "name",
            "slug",
            "kind",
            "admin1",
            "country",
            "latitude",
            "longitude",
            "geo_precision",
        )


class FigureRangeSerializer(serializers.Serializer):
    """One metric and group of an incident, reconciled across every claim."""

    metric = serializers.ChoiceField(choices=Metric.choices)
    group = serializers.ChoiceField(choices=FigureGroup.choices)
    low = serializers.IntegerField(help_text="The lowest claimed value.")
    high = serializers.IntegerField(help_text="The highest claimed value.")
    claims = serializers.IntegerField(help_text="How many claims were recorded.")
    claimants = serializers.IntegerField(help_text="How many different claimants.")
    contradictory = serializers.BooleanField(
        help_text="True when some claims' ranges do not overlap."
    )


# --- Figures -------------------------------------------------------------------


class FigureCitationSerializer(serializers.ModelSerializer):
    """A figure as shown inside its incident."""

    url = ApiLinkField(view_name="api:figure-detail")
    article = ArticleBriefSerializer(read_only=True, allow_null=True)
    source = SourceBriefSerializer(read_only=True, allow_null=True)
    citation_url = serializers.CharField(
        source="url", read_only=True, help_text="Where the claim was reported."
    )

    class Meta:
        model = Figure
        fields = (
            "id",
            "url",
            "metric",
            "group",
            "low",
            "high",
            "qualifier",
            "claimant",
            "article",
            "source",
            "citation_url",
            "reported_on",
            "excerpt",
            "note",
        )


class FigureSerializer(FigureCitationSerializer):
    incident = IncidentBriefSerializer(read_only=True)

    class Meta(FigureCitationSerializer.Meta):
        fields = (*FigureCitationSerializer.Meta.fields, "incident", "version")
        read_only_fields = ("version",)


class FigureWriteSerializer(WriteSerializer):
    """What editors send to record a claimed number."""

    incident = IdRelatedField(queryset=Incident.objects.all())
    article = IdRelatedField(
        queryset=Article.objects.all(), required=False, allow_null=True
    )
    source = IdRelatedField(
        queryset=Source.objects.all(), required=False, allow_null=True
    )
    high = serializers.IntegerField(
        min_value=0,
        max_value=2147483647,
        required=False,
        help_text="Defaults to low for a point value.",
    )
    qualifier = serializers.ChoiceField(choices=Qualifier.choices, required=False)

    class Meta:
        model = Figure
        fields = ("incident", *FIGURE_FIELDS)


class FigureUpdateSerializer(FigureWriteSerializer):
    """What editors send to correct a recorded claim; the incident stays fixed."""

    class Meta(FigureWriteSerializer.Meta):
        fields = FIGURE_FIELDS


# --- Incidents -------------------------------------------------------------------


class IncidentSerializer(serializers.ModelSerializer):
    url = ApiLinkField(view_name="api:incident-detail")
    page_url = PageURLField()
    place = PlaceSerializer(read_only=True, allow_null=True)
    actors = serializers.SerializerMethodField()
    figure_ranges = serializers.SerializerMethodField()
    articles = serializers.SerializerMethodField(
        help_text="Ids of the published articles covering the incident."
    )

    class Meta:
        model = Incident
        fields = (
            "id",
            "url",
            "page_url",
            "title",
            "slug",
            "kind",
            "sub_kind",
            "summary",
            "start_date",
            "end_date",
            "date_precision",
            "verification",
            "place",
            "actors",
            "figure_ranges",
            "articles",
        )

    @extend_schema_field(ActorsByRoleSerializer)
    def get_actors(self, incident: Incident) -> dict[str, list[dict]]:
        by_role: dict[str, list[dict]] = {role: [] for role in ActorRole.values}
        for link in incident.incident_actors.all():
            data = ActorBriefSerializer(link.actor, context=self.context).data
            by_role.setdefault(link.role, []).append({**data, "note": link.note})
        return by_role

    @extend_schema_field(FigureRangeSerializer(many=True))
    def get_figure_ranges(self, incident: Incident) -> list[dict]:
        ranges = figure_ranges(figures=incident.public_figures)
        return FigureRangeSerializer(ranges, many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_articles(self, incident: Incident) -> list[int]:
        return [article.pk for article in incident.published_articles]


class IncidentDetailSerializer(IncidentSerializer):
    figures = FigureCitationSerializer(
        source="public_figures",
        many=True,
        read_only=True,
        help_text="Every claimed figure with its citation.",
    )
    article_summaries = ArticleBriefSerializer(
        source="published_articles", many=True, read_only=True
    )

    class Meta(IncidentSerializer.Meta):
        fields = (*IncidentSerializer.Meta.fields, "figures", "article_summaries")


# --- Actors and places -----------------------------------------------------------


class ActorSerializer(serializers.ModelSerializer):
    url = ApiLinkField(view_name="api:actor-detail")
    page_url = PageURLField()
    country = CountryCodeField()
    aliases = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="name", help_text="Other names."
    )
    incident_count = serializers.IntegerField(
        read_only=True, help_text="Published incidents involving the actor."
    )

    class Meta:
        model = Actor
        fields = (
            "id",
            "url",
            "page_url",
            "name",
            "slug",
            "kind",
            "country",
            "description",
            "aliases",
            "incident_count",
        )


class PlaceDetailSerializer(PlaceSerializer):
    incident_count = serializers.IntegerField(
        read_only=True, help_text="Published incidents at this place."
    )

    class Meta(PlaceSerializer.Meta):
        fields = (*PlaceSerializer.Meta.fields, "incident_count")


# --- Recommendations ----------------------------------------------------------------


class RecommendationUpdateSerializer(serializers.ModelSerializer):
    evidence_article = serializers.SerializerMethodField()

    class Meta:
        model = RecommendationUpdate
        fields = ("status", "changed_on", "note", "evidence_article", "evidence_url")

    @extend_schema_field(ArticleBriefSerializer(allow_null=True))
    def get_evidence_article(self, update: RecommendationUpdate) -> dict | None:
        if update.evidence_article is None or not update.evidence_public:
            return None
        return ArticleBriefSerializer(
            update.evidence_article, context=self.context
        ).data


class RecommendationSerializer(serializers.ModelSerializer):
    url = ApiLinkField(view_name="api:recommendation-detail")
    page_url = PageURLField()
    addressed_to_countries = serializers.SerializerMethodField()
    recommended_by_person = PersonBriefSerializer(read_only=True, allow_null=True)
    recommended_by_source = SourceBriefSerializer(read_only=True, allow_null=True)
    made_in = ArticleBriefSerializer(read_only=True, allow_null=True)
    incident = IncidentBriefSerializer(read_only=True, allow_null=True)
    history = RecommendationUpdateSerializer(
        source="updates",
        many=True,
        read_only=True,
        help_text="Every dated status change, oldest first.",
    )

    class Meta:
        model = Recommendation
        fields = (
            "id",
            "url",
            "page_url",
            "action",
            "statement",
            "addressed_to_countries",
            "addressed_to_group",
            "addressee",
            "recommended_by_person",
            "recommended_by_source",
            "made_in",
            "incident",
            "status",
            "status_changed_on",
            "history",
        )

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(help_text="ISO 3166-1 alpha-2 code.")
        )
    )
    def get_addressed_to_countries(self, recommendation: Recommendation) -> list[str]:
        return [country.code for country in recommendation.addressed_to_countries]


class RecommendationWriteSerializer(WriteSerializer):
    """What editors send to record a recommendation (status starts as proposed)."""

    action = serializers.ChoiceField(choices=RecommendationAction.choices)
    addressed_to_countries = serializers.ListField(
        child=CountryCodeInputField(), required=False
    )
    recommended_by_person = IdRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    recommended_by_source = IdRelatedField(
        queryset=Source.objects.all(), required=False, allow_null=True
    )
    made_in = IdRelatedField(
        queryset=Article.objects.all(), required=False, allow_null=True
    )
    incident = IdRelatedField(
        queryset=Incident.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Recommendation
        fields = RECOMMENDATION_FIELDS


class RecommendationStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=RecommendationStatus.choices)
    changed_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    evidence_article = IdRelatedField(
        queryset=Article.objects.published(), required=False, allow_null=True
    )
    evidence_url = serializers.URLField(required=False, allow_blank=True, default="")
