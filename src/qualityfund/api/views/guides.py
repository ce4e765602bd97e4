"""The guides and their sub-programmes, readable by anyone."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from qualityfund.core.guides.models import Guide

from ..serializers.common import ErrorSerializer
from ..serializers.guides import (
    GuideDetailSerializer,
    GuideSerializer,
    SubprogrammeDetailSerializer,
    SubprogrammeSerializer,
    subprogramme_data,
)


class PublicView(APIView):
    permission_classes = (AllowAny,)


def _guide(slug) -> Guide:
    return get_object_or_404(Guide, slug=slug)


class GuideListView(PublicView):
    @extend_schema(tags=["guides"], summary="申报指南列表", auth=[],
                   responses=GuideSerializer(many=True))
    def get(self, request):
        return Response(GuideSerializer(Guide.objects.all(), many=True).data)


class GuideDetailView(PublicView):
    @extend_schema(tags=["guides"], summary="一份申报指南及其全部数据", auth=[],
                   responses={200: GuideDetailSerializer, 404: ErrorSerializer})
    def get(self, request, slug):
        return Response(GuideDetailSerializer(_guide(slug)).data)


class SubprogrammeListView(PublicView):
    @extend_schema(tags=["guides"], summary="指南的子项目", auth=[],
                   responses={200: SubprogrammeSerializer(many=True), 404: ErrorSerializer})
    def get(self, request, slug):
        guide = _guide(slug)
        data = [subprogramme_data(guide, sub, detail=False) for sub in guide.spec.subprogrammes]
        return Response(SubprogrammeSerializer(data, many=True).data)


class SubprogrammeDetailView(PublicView):
    @extend_schema(tags=["guides"], summary="子项目的资助、评审、指标、条件、材料与报告模板",
                   auth=[], responses={200: SubprogrammeDetailSerializer, 404: ErrorSerializer})
    def get(self, request, slug, key):
        guide = _guide(slug)
        try:
            sub = guide.spec.subprogramme(key)
        except KeyError:
            raise Http404(f"该指南没有子项目“{key}”") from None
        return Response(SubprogrammeDetailSerializer(
            subprogramme_data(guide, sub, detail=True)).data)
