import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("newsdesk", "0007_search_trigrams"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Image',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.ImageField(help_text='JPEG, PNG, WebP, GIF or AVIF. Location and camera data are removed.', upload_to='images/%Y/%m/')),
                ('title', models.CharField(blank=True, help_text='A name to find the image by in the library; readers never see it.', max_length=200)),
                ('alt_text', models.CharField(blank=True, help_text='What the image shows, for readers who cannot see it. Required unless decorative.', max_length=300)),
                ('decorative', models.BooleanField(default=False, help_text='Tick only when the image adds nothing to the text: screen readers then skip it.')),
                ('caption', models.CharField(blank=True, help_text='Shown under the image; an article can give its own.', max_length=500)),
                ('credit', models.CharField(blank=True, help_text='Photographer or agency, e.g. “Hawar News / AP”.', max_length=200)),
                ('copyright', models.CharField(blank=True, help_text='Licence or rights holder, e.g. “CC BY 4.0” or “© Reuters”.', max_length=200)),
                ('source_url', models.URLField(blank=True, help_text='Where the image was obtained, for the record.', max_length=1000)),
                ('focal_x', models.PositiveSmallIntegerField(default=50, help_text='Horizontal position of what matters, 0 (left) to 100 (right); crops keep it in frame.', validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)])),
                ('focal_y', models.PositiveSmallIntegerField(default=50, help_text='Vertical position of what matters, 0 (top) to 100 (bottom).', validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)])),
                ('width', models.PositiveIntegerField(blank=True, editable=False, null=True)),
                ('height', models.PositiveIntegerField(blank=True, editable=False, null=True)),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('uploaded_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ('-uploaded_at', '-id'),
                'constraints': [
                    models.CheckConstraint(condition=models.Q(models.Q(('alt_text', ''), _negated=True), ('decorative', True), _connector='OR'), name='image_has_alt_or_is_decorative'),
                    models.CheckConstraint(condition=models.Q(('focal_x__lte', 100), ('focal_y__lte', 100)), name='image_focal_point_in_frame'),
                ],
            },
        ),
        migrations.RemoveConstraint(
            model_name="article",
            name="article_lead_image_has_alt",
        ),
        migrations.AddField(
            model_name="article",
            name="lead_image_ref",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="newsdesk.image"),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="lead_image_ref",
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="newsdesk.image"),
        ),
    ]
