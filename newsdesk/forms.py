"""Reader-facing forms."""

from django import forms

from newsdesk.models import Comment


class CommentForm(forms.Form):
    """A reader's comment. `website` is a honeypot: people leave it empty."""

    name = forms.CharField(label="Name", max_length=100)
    email = forms.EmailField(
        label="Email", max_length=254, help_text="Never shown or shared."
    )
    body = forms.CharField(
        label="Comment",
        max_length=Comment._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))
