"""The users page's forms. They validate and normalise; accounts.services does the saving."""

from django import forms

from finsam.models import Role

# The roles given from the users page. The insatsansvarig is given on the insats's page, where
# the insats is chosen (followup.services.initiative_lead_add).
KINDS = [(kind.value, kind.label) for kind in Role.Kind if kind != Role.Kind.LEAD]


class InviteForm(forms.Form):
    email = forms.EmailField(label="E-postadress", max_length=254)
    first_name = forms.CharField(label="Förnamn", max_length=150, required=False)
    last_name = forms.CharField(label="Efternamn", max_length=150, required=False)
    kind = forms.ChoiceField(label="Roll", choices=KINDS, widget=forms.RadioSelect)


class RoleChangeForm(forms.Form):
    kind = forms.ChoiceField(label="Ny roll", choices=KINDS, widget=forms.RadioSelect)

    def __init__(self, *args, role: Role, **kwargs):
        super().__init__(*args, **kwargs)
        # The role held now is no change.
        self.fields["kind"].choices = [(k, label) for k, label in KINDS if k != role.kind]
