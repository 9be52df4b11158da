"""The admin site's names; the dashboard on its index page."""

from django.contrib import admin

admin.site.site_header = "Newsdesk"
admin.site.site_title = "Newsdesk admin"
admin.site.index_title = "Newsroom"
# The list and form screens need the width more than a second app menu; the
# breadcrumbs and the dashboard lead everywhere.
admin.site.enable_nav_sidebar = False
