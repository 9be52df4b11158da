import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("newsdesk", "0009_lead_images_into_library"),
    ]

    operations = [
        migrations.RemoveField(model_name="article", name="lead_image"),
        migrations.RemoveField(model_name="article", name="lead_image_alt"),
        migrations.RemoveField(model_name="article", name="lead_image_decorative"),
        migrations.RemoveField(model_name="article", name="lead_image_credit"),
        migrations.RemoveField(model_name="historicalarticle", name="lead_image"),
        migrations.RemoveField(model_name="historicalarticle", name="lead_image_alt"),
        migrations.RemoveField(model_name="historicalarticle", name="lead_image_decorative"),
        migrations.RemoveField(model_name="historicalarticle", name="lead_image_credit"),
        migrations.RenameField(model_name="article", old_name="lead_image_ref", new_name="lead_image"),
        migrations.RenameField(model_name="historicalarticle", old_name="lead_image_ref", new_name="lead_image"),
        migrations.AlterField(
            model_name='article',
            name='lead_image',
            field=models.ForeignKey(blank=True, help_text='Chosen from the media library, where its alt text and credit live.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='lead_of', to='newsdesk.image'),
        ),
        migrations.AlterField(
            model_name='historicalarticle',
            name='lead_image',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='Chosen from the media library, where its alt text and credit live.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='newsdesk.image'),
        ),
        migrations.AlterField(
            model_name='article',
            name='lead_image_caption',
            field=models.CharField(blank=True, help_text='A caption for this article only; empty uses the library caption.', max_length=500),
        ),
        migrations.AlterField(
            model_name='historicalarticle',
            name='lead_image_caption',
            field=models.CharField(blank=True, help_text='A caption for this article only; empty uses the library caption.', max_length=500),
        ),
    ]
