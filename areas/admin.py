from django.contrib.gis import admin

from .models import Area, GeodemographicClass, Lsoa, OutputArea, Postcode, Street


@admin.register(Area)
class AreaAdmin(admin.GISModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(Postcode)
class PostcodeAdmin(admin.GISModelAdmin):
    list_display = ("code", "ward", "positional_quality")
    search_fields = ("code",)
    raw_id_fields = ("ward", "classification")


@admin.register(Street)
class StreetAdmin(admin.GISModelAdmin):
    list_display = ("name", "ward", "source")
    search_fields = ("name",)
    raw_id_fields = ("ward",)


@admin.register(OutputArea)
class OutputAreaAdmin(admin.GISModelAdmin):
    list_display = ("code", "lsoa", "ward", "usual_residents", "households", "classification")
    search_fields = ("code",)
    raw_id_fields = ("ward", "lsoa", "classification")


admin.site.register(Lsoa)
admin.site.register(GeodemographicClass)
