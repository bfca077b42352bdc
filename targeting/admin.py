from django.contrib.gis import admin

from .models import CrimeCategory, CrimeImport, ImportJob, LsoaDeprivation, ScoringSettings


@admin.register(CrimeCategory)
class CrimeCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "harm_weight", "priority", "order")
    list_editable = ("harm_weight",)


@admin.register(ScoringSettings)
class ScoringSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "updated_at")


@admin.register(CrimeImport)
class CrimeImportAdmin(admin.ModelAdmin):
    list_display = ("month", "reported_by", "file_name", "rows", "replaced_rows", "imported_at")
    list_filter = ("reported_by",)
    raw_id_fields = ("imported_by", "job")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("pk", "status", "created_by", "created_at", "finished_at")
    list_filter = ("status",)
    exclude = ("errors",)
    raw_id_fields = ("created_by",)


@admin.register(LsoaDeprivation)
class LsoaDeprivationAdmin(admin.ModelAdmin):
    list_display = ("lsoa", "imd_rank", "imd_decile", "method")
    list_filter = ("method", "imd_decile")
    raw_id_fields = ("lsoa",)
