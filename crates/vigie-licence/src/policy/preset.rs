//! The default policy: category × distribution model → verdict and
//! obligations.
//!
//! | category \ model  | internal | network-service | distributed-binary / library |
//! |-------------------|----------|-----------------|------------------------------|
//! | public domain     | allowed  | allowed         | allowed                      |
//! | permissive        | allowed  | allowed         | allowed: keep notices        |
//! | weak copyleft     | allowed  | allowed         | allowed: notices, share the component's source |
//! | strong copyleft   | allowed  | allowed         | review: notices, ship source, same licence |
//! | network copyleft  | allowed  | **denied**: offer source to network users, same licence | review: notices, ship source, same licence |
//! | non-commercial / source-available | review: check terms | **denied** | **denied** |
//! | proprietary       | review: agreement | review: agreement | review: agreement |
//! | unknown           | review: identify | review: identify | review: identify |
//!
//! Why, from the texts and the FSF's GPL FAQ (gnu.org/licenses/gpl-faq.html):
//! * the permissive and copyleft licences put their conditions on
//!   *distribution* ("redistribution", "convey"); private use, inside one
//!   organisation, is not distribution (FAQ "InternalDistribution",
//!   "GPLRequireSourcePostedPublic"), so internal use triggers nothing;
//! * running GPL software on a server for others is not conveying it (FAQ
//!   "UnreleasedMods"); the AGPL's section 13 closes exactly that gap, hence
//!   network copyleft denied by default for a network service (the whole
//!   service would have to be offered as source);
//! * shipping a GPL component in a product makes the product a covered work
//!   (GPL-3.0 s.5(c), GPL-2.0 s.2(b)): possible, but a business decision,
//!   hence review with the obligations spelled out;
//! * non-commercial and source-available licences forbid commercial use or
//!   offering the software as a service (CC BY-NC s.1, SSPL s.13, BUSL's
//!   Additional Use Grant, Elastic-2.0 "Limitations"): denied wherever the
//!   company gives the software or its service to others.

use super::{DistributionModel, Obligation, Verdict};
use crate::category::Category;

use DistributionModel as M;
use Obligation as O;

/// The default verdict and obligations for a licence of `category` in a
/// project distributed as `model` (see the module documentation).
pub fn preset(category: Category, model: DistributionModel) -> (Verdict, &'static [Obligation]) {
    match (category, model) {
        (Category::PublicDomain, _) => (Verdict::Allowed, &[]),
        (Category::Permissive, M::Internal | M::NetworkService) => (Verdict::Allowed, &[]),
        (Category::Permissive, _) => (Verdict::Allowed, &[O::KeepNotices]),
        (Category::WeakCopyleft, M::Internal | M::NetworkService) => (Verdict::Allowed, &[]),
        (Category::WeakCopyleft, _) => {
            (Verdict::Allowed, &[O::KeepNotices, O::ShareComponentSource])
        }
        (Category::StrongCopyleft, M::Internal | M::NetworkService) => (Verdict::Allowed, &[]),
        (Category::StrongCopyleft, _) => (
            Verdict::NeedsReview,
            &[O::KeepNotices, O::ShipSource, O::SameLicence],
        ),
        (Category::NetworkCopyleft, M::Internal) => (Verdict::Allowed, &[]),
        (Category::NetworkCopyleft, M::NetworkService) => (
            Verdict::Denied,
            &[O::OfferSourceToNetworkUsers, O::SameLicence],
        ),
        (Category::NetworkCopyleft, _) => (
            Verdict::NeedsReview,
            &[O::KeepNotices, O::ShipSource, O::SameLicence],
        ),
        (Category::NonCommercialOrSourceAvailable, M::Internal) => {
            (Verdict::NeedsReview, &[O::CheckLicenceTerms])
        }
        (Category::NonCommercialOrSourceAvailable, _) => (Verdict::Denied, &[O::CheckLicenceTerms]),
        (Category::Proprietary, _) => (Verdict::NeedsReview, &[O::CommercialAgreement]),
        (Category::Unknown, _) => (Verdict::NeedsReview, &[O::IdentifyLicence]),
    }
}
