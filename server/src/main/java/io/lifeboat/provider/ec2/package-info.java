/** EC2 operations: requests to the compute domain, domain records to EC2 response shapes. */
package io.lifeboat.provider.ec2;
