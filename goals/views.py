"""Public pages of the goal chain."""

from django.http import HttpResponse


def home(request):
    return HttpResponse("Noramål")


def tree(request):
    return HttpResponse("tree")


def detail(request, pk):
    return HttpResponse("goal")
